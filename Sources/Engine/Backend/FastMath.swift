/// Fast scalar transcendental functions for the element-wise hot paths (Swish, sigmoid, exp).
///
/// `exp` uses range reduction `x = n·ln2 + r` and a degree-6 polynomial for `e^r` (relative error
/// below 5e-7 over the float range); NaN stays NaN. It is written as scalar code with no libm call
/// so that LLVM vectorises the loops that use it, and again for `SIMD16` with exactly the same operations
/// (the same results bit for bit) for the hot loops that run 16 lanes at a time. There only plain arithmetic,
/// comparisons and selects are used: `clamped` and `pointwiseMin` compile to a scalar loop per lane, and a
/// function not inlined passes its vectors as four 4-float registers (hence `@_transparent`).
enum FastMath {
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let c = Swift.min(Swift.max(x, -87.3), 88.7)
        let (p, shifted) = expParts(c)
        let scale = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
        let y = p * scale
        return x.isNaN ? x : y
    }

    /// Range reduction and polynomial of `exp` for a clamped argument `c`, one float or 16 with the same operations:
    /// `p = e^r` with `c = n·ln2 + r`, and `shifted`, whose low mantissa bits hold `n`.
    @_transparent
    static func expParts<T: ExpArithmetic>(_ c: T) -> (p: T, shifted: T) {
        // n = round(c / ln2): adding 1.5·2²³ leaves the rounded integer in the low mantissa bits.
        let shifted = c * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        var r = c - n * 0.693_359_375 // ln2 split in a high part exact in float …
        r = r - n * -2.121_944_4e-4 // … and the rest
        var p = r * 1.987_569_1e-4 + 1.398_199_9e-3 // 1.987_569_1e-4 · r, the first step of Horner's scheme
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_5e-1
        p = p * r + 5.000_000_1e-1
        return (p * r * r + r + 1, shifted)
    }

    /// `exp` of 16 values with exactly the operations of the scalar `exp`, lane by lane (the same results, bit for
    /// bit): LLVM vectorises the scalar loops 8 lanes wide on AVX-512 machines, this runs 16 (half the instructions).
    @_transparent
    static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        typealias V = SIMD16<Float>
        // Comparisons and selects (`clamped` and `pointwiseMin` compile to a scalar loop per lane); a NaN lane
        // stays NaN here and is replaced by `x` at the end, as in the scalar version.
        var c = x.replacing(with: -87.3, where: x .< -87.3)
        c.replace(with: 88.7, where: c .> 88.7)
        let (p, shifted) = expParts(c)
        let bits = (unsafeBitCast(shifted, to: SIMD16<UInt32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        let y = p * unsafeBitCast(bits, to: V.self)
        return y.replacing(with: x, where: x .!= x)
    }

    /// `swish` of 16 values, the same results as the scalar `swish` lane by lane.
    @_transparent static func swish(_ x: SIMD16<Float>) -> SIMD16<Float> { x / (1 + exp(-x)) }

    /// `sigmoid` of 16 values, the same results as the scalar `sigmoid` lane by lane.
    @_transparent static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> { 1 / (1 + exp(-x)) }

    /// `swishDerivative` of 16 values, the same results as the scalar one lane by lane.
    @_transparent static func swishDerivative(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let s = sigmoid(x)
        return s * (1 + x * (1 - s))
    }

    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
    @inline(__always) static func swish(_ x: Float) -> Float { x / (1 + exp(-x)) }

    /// `s·(1 + x·(1 − s))`, the derivative of Swish, with `s = sigmoid(x)`.
    @inline(__always) static func swishDerivative(_ x: Float) -> Float {
        let s = sigmoid(x)
        return s * (1 + x * (1 - s))
    }
}

/// What `FastMath.expParts` needs of its values: lane-wise arithmetic among them and with a float (one `Float`, or
/// a `SIMD16<Float>`).
protocol ExpArithmetic {
    static func * (a: Self, b: Self) -> Self
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Float) -> Self
    static func + (a: Self, b: Float) -> Self
    static func - (a: Self, b: Float) -> Self
}

extension Float: ExpArithmetic {}
extension SIMD16: ExpArithmetic where Scalar == Float {}

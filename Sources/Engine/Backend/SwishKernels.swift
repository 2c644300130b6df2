/// Swish and the gradient through it over buffers, 16 lanes at a time (`FastMath`'s `SIMD16` functions, the scalar
/// functions' operations exactly, so every path gives the same values bit for bit). Shared by the `.swish()` primitive
/// and the Swish fused into convolutions (their epilogues, the block-start Swish, and both backward passes). LLVM
/// vectorised the scalar loops only 8 lanes wide on AVX-512, and not at all in place (an output pointer equal to an
/// input pointer): the in-place gradient through the block-start Swish took 8.5 % of an ECGFounder training step.
enum SwishKernels {
    typealias V = SIMD16<Float>

    /// `y[i] = swish(z[i])` for `i < count` on the calling thread (`y` may be `z`): an epilogue applied to a block
    /// right after it is computed, while it is still in cache.
    @inline(__always)
    static func swish(_ z: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            UnsafeMutableRawPointer(y + i).storeBytes(of: FastMath.swish(UnsafeRawPointer(z + i).loadUnaligned(as: V.self)), as: V.self)
            i += 16
        }
        while i < count {
            y[i] = FastMath.swish(z[i])
            i += 1
        }
    }

    /// `z[i] += b`, then `y[i] = swish(z[i])`, for `i < count` in one pass (a bias and the Swish after it, as an
    /// epilogue: the same values as adding first and calling `swish` after).
    @inline(__always)
    static func swish(_ z: UnsafeMutablePointer<Float>, adding b: Float, into y: UnsafeMutablePointer<Float>, count: Int) {
        let bv = V(repeating: b)
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(z + i).loadUnaligned(as: V.self) + bv
            UnsafeMutableRawPointer(z + i).storeBytes(of: v, as: V.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: FastMath.swish(v), as: V.self)
            i += 16
        }
        while i < count {
            z[i] += b
            y[i] = FastMath.swish(z[i])
            i += 1
        }
    }

    /// `swish` over `count` values on the workers, in chunks.
    static func swishParallel(_ z: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEachChunk(count) { r in swish(z + r.lowerBound, into: y + r.lowerBound, count: r.count) }
    }

    /// `into[i] = g[i] · swish′(z[i])` for `i < count` on the workers (`into` may be `g`): the gradient through a Swish
    /// whose input was `z`.
    static func gradient(_ g: UnsafePointer<Float>, at z: UnsafePointer<Float>, into: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEachChunk(count) { r in
            var i = r.lowerBound
            while i + 16 <= r.upperBound {
                let d = FastMath.swishDerivative(UnsafeRawPointer(z + i).loadUnaligned(as: V.self))
                UnsafeMutableRawPointer(into + i).storeBytes(of: UnsafeRawPointer(g + i).loadUnaligned(as: V.self) * d, as: V.self)
                i += 16
            }
            while i < r.upperBound {
                into[i] = g[i] * FastMath.swishDerivative(z[i])
                i += 1
            }
        }
    }
}

/// The window-of-two max pooling that Net1D's shortcuts run (kernel 2, stride 2), without branches.
///
/// The comparison `b > a` of neighbouring samples of a signal is a coin toss for the branch
/// predictor: the plain loop spent most of its time in mispredicted jumps (7 ns an output, 6 % of an
/// ECGFounder forward pass). Here eight windows are one 16-float load split into its even and odd lanes.
enum PoolKernels {
    /// Max pooling's rule for a later value `v` against the window's best so far: larger wins, NaN wins
    /// (as in NumPy and PyTorch), a tie keeps the earlier value.
    @inline(__always) static func replaces(_ v: Float, _ best: Float) -> Bool { v > best || (v.isNaN && !best.isNaN) }

    /// For `t` in `range`: `dst[t]` = the larger of `src[t·stride + o]` and `src[t·stride + o + 1]` (NaN
    /// wins; on a tie the first), and `index[t]` its position in `src` when given. Both positions must be
    /// readable for every `t` in `range`.
    static func maxOfPairs(
        _ src: UnsafePointer<Float>, offset o: Int, stride: Int, _ range: Range<Int>,
        into dst: UnsafeMutablePointer<Float>, index: UnsafeMutablePointer<Int32>?
    ) {
        var t = range.lowerBound
        if stride == 2 {
            let lanes = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
            while t + 8 <= range.upperBound {
                let start = t * 2 + o
                let v = UnsafeRawPointer(src + start).loadUnaligned(as: SIMD16<Float>.self)
                let a = v.evenHalf, b = v.oddHalf
                let takeB = (b .> a) .| ((b .!= b) .& (a .== a)) // `replaces`, lane by lane
                UnsafeMutableRawPointer(dst + t).storeBytes(of: a.replacing(with: b, where: takeB), as: SIMD8<Float>.self)
                if let index {
                    let first = SIMD8<Int32>(repeating: Int32(start)) &+ lanes
                    UnsafeMutableRawPointer(index + t).storeBytes(
                        of: first.replacing(with: first &+ 1, where: takeB), as: SIMD8<Int32>.self)
                }
                t += 8
            }
        }
        while t < range.upperBound {
            let i = t * stride + o
            let a = src[i], b = src[i + 1]
            let takeB = replaces(b, a)
            dst[t] = takeB ? b : a
            index?[t] = Int32(takeB ? i + 1 : i)
            t += 1
        }
    }
}

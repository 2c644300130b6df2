/// Copies of a few floats — the rows of 4 to 40 values of Net1D's deep stages — as inline vector moves. Each
/// `memmove` call (`update(from:count:)`) costs a call and a dispatch on the size for a row of 4 or 8 values: the
/// copies into and out of the batched 1×1 layout at ECGFounder's L = 4 and 8 made 16 × 1,024 such calls per layer.
enum ShortCopy {
    /// `to[i] = from[i]` for `i < count`; the two ranges must not overlap.
    @inline(__always)
    static func copy(_ from: UnsafePointer<Float>, to: UnsafeMutablePointer<Float>, count: Int) {
        if count > 64 {
            to.update(from: from, count: count)
            return
        }
        let src = UnsafeRawPointer(from), dst = UnsafeMutableRawPointer(to)
        var i = 0
        while i + 16 <= count {
            dst.storeBytes(
                of: src.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self), toByteOffset: 4 * i, as: SIMD16<Float>.self)
            i += 16
        }
        if i + 8 <= count {
            dst.storeBytes(of: src.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self), toByteOffset: 4 * i, as: SIMD8<Float>.self)
            i += 8
        }
        if i + 4 <= count {
            dst.storeBytes(of: src.loadUnaligned(fromByteOffset: 4 * i, as: SIMD4<Float>.self), toByteOffset: 4 * i, as: SIMD4<Float>.self)
            i += 4
        }
        while i < count {
            to[i] = from[i]
            i += 1
        }
    }
}

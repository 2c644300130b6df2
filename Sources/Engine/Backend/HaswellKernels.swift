import Foundation

/// OpenBLAS's Haswell sgemm kernel and packing routines, resolved by name from the loaded library, with the blocking
/// of its level-3 driver — what `PackedWeights` needs to run a product whose weight panels were packed in advance.
///
/// The driver's loops (OpenBLAS 0.3.21 `driver/level3/level3.c` for a row-major `C = W · X`, i.e. its column-major
/// `C' = X' · W'`): K in blocks of `kBlock`, and per K block X's columns in blocks of `rowBlock` packed by `itcopy`; W's
/// rows in chunks of `columnChunk`, packed by `oncopy`, each multiplied with the first block of X as it is packed, the
/// later blocks of X with all of them at once. The kernel sums an output in a different order in a 12-wide chunk
/// than in a 4- or 8-wide one, and where a block of X's columns ends decides which of its tiles are partial, so only
/// the same calls on the same panels give OpenBLAS's results bit for bit: `PackedWeights` makes exactly those calls,
/// and `resolve` checks that on a probe product (every kind of block and chunk boundary) before anything uses them.
struct HaswellKernels: @unchecked Sendable {
    typealias Kernel =
        @convention(c) (Int, Int, Int, Float, UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Int32
    typealias Copy = @convention(c) (Int, Int, UnsafePointer<Float>?, Int, UnsafeMutablePointer<Float>?) -> Int32

    /// `C'[0..<m, 0..<n] += alpha · packedX · packedW` over `k`, C' column-major with leading dimension `ldc`.
    let kernel: Kernel
    /// Packs `k` × `m` of X' (column-major, leading dimension `ld`) for the kernel: `itcopy(k, m, x, ld, into)`.
    let packInput: Copy
    /// Packs `k` × `n` of W' (column-major, leading dimension `ld`) for the kernel: `oncopy(k, n, w, ld, into)`.
    let packWeights: Copy

    /// OpenBLAS's `SGEMM_DEFAULT_P`, `SGEMM_DEFAULT_Q`, `SGEMM_DEFAULT_UNROLL_M` and `_N` for Haswell (param.h).
    static let p = 320, q = 320, unrollM = 8, unrollN = 4

    /// The kernels when OpenBLAS runs its Haswell kernels and they reproduce its products (nil otherwise: another
    /// BLAS, another core type, another OpenBLAS whose blocking differs); resolved and checked once.
    static let shared: HaswellKernels? = resolve(BLAS.library, coreName: BLAS.coreName)

    /// The K block starting with `rest` values of K left (`min_l`).
    static func kBlock(_ rest: Int) -> Int {
        if rest >= 2 * q { return q }
        return rest > q ? (rest / 2 + unrollM - 1) / unrollM * unrollM : rest
    }

    /// The block of X's columns starting with `rest` columns left (`min_i`).
    static func rowBlock(_ rest: Int) -> Int {
        if rest >= 2 * p { return p }
        return rest > p ? (rest / 2 + unrollM - 1) / unrollM * unrollM : rest
    }

    /// The chunk of W's rows packed and multiplied at once, with `rest` rows left (`min_jj`).
    static func columnChunk(_ rest: Int) -> Int {
        if rest >= 3 * unrollN { return 3 * unrollN }
        return rest > unrollN ? unrollN : rest
    }

    static func resolve(_ library: BLAS.Library, coreName: String) -> HaswellKernels? {
        guard coreName.lowercased() == "haswell",
            let kernel = dlsym(library.handle, "sgemm_kernel_HASWELL"), let itcopy = dlsym(library.handle, "sgemm_itcopy_HASWELL"),
            let oncopy = dlsym(library.handle, "sgemm_oncopy_HASWELL")
        else { return nil }
        let kernels = HaswellKernels(
            kernel: unsafeBitCast(kernel, to: Kernel.self), packInput: unsafeBitCast(itcopy, to: Copy.self),
            packWeights: unsafeBitCast(oncopy, to: Copy.self))
        return kernels.reproducesBLAS() ? kernels : nil
    }

    /// Whether products through packed weights equal `BLAS.sgemm`'s bit for bit on a probe that crosses every kind
    /// of boundary: K = 1000 (blocks 320, 320, 184, 176), 700 columns (320, 192, 188), 70 weight rows from row 6 on
    /// (5 chunks of 12, then 4, 4 and 2).
    func reproducesBLAS() -> Bool {
        let (m, n, k) = (76, 700, 1000)
        var state: UInt32 = 12_345
        func next() -> Float {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(Int32(bitPattern: state >> 8) - (1 << 23)) / Float(1 << 23)
        }
        let w = (0..<(m * k)).map { _ in next() }, x = (0..<(k * n)).map { _ in next() }
        var expected = [Float](repeating: 0, count: m * n), got = [Float](repeating: .nan, count: m * n)
        return w.withUnsafeBufferPointer { w in
            x.withUnsafeBufferPointer { x in
                let (w, x) = (w.baseAddress!, x.baseAddress!)
                BLAS.sgemm(transA: false, transB: false, m: m - 6, n: n, k: k, a: w + 6 * k, lda: k, b: x, ldb: n, c: &expected, ldc: n)
                let packed = PackedWeights(w, rows: 6..<m, k: k, kernels: self)
                let scratch = PackedWeights.Scratch()
                got.withUnsafeMutableBufferPointer { c in
                    packed.multiply(x, ldx: n, columns: 0..<n, into: c.baseAddress!, ldc: n, scratch: scratch)
                }
                return (0..<((m - 6) * n)).allSatisfy { expected[$0].bitPattern == got[$0].bitPattern }
            }
        }
    }
}

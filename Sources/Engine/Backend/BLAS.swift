import COpenBLAS
import Foundation

/// The BLAS library, opened at run time.
///
/// Debian 12's OpenBLAS 0.3.21 does not recognise recent Intel CPUs and falls back to its slow
/// Prescott kernel (about 5x slower sgemm). OpenBLAS reads `OPENBLAS_CORETYPE` once, when it is
/// loaded, so linking it normally would initialise it before any of our code runs. Instead the
/// library is opened with `dlopen` on first use, after choosing a core type from the CPU's features
/// unless the user already set one.
public enum BLAS {
    typealias SgemmFn =
        @convention(c) (
            CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, Int32, Int32,
            Float, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
            Float, UnsafeMutablePointer<Float>?, Int32
        ) -> Void
    typealias CoreNameFn = @convention(c) () -> UnsafeMutablePointer<CChar>?
    typealias SetThreadsFn = @convention(c) (Int32) -> Void
    typealias GetThreadsFn = @convention(c) () -> Int32

    struct Library: @unchecked Sendable {
        let sgemm: SgemmFn
        let coreName: CoreNameFn?
        let setThreads: SetThreadsFn?
        let getThreads: GetThreadsFn?
        let path: String
        let coreTypeSource: String
        /// The `dlopen` handle, for the library's other symbols (`HaswellKernels`).
        let handle: UnsafeMutableRawPointer
    }

    static let library: Library = load()

    /// The core type chosen for a CPU with the given `/proc/cpuinfo` flags, or nil to let OpenBLAS decide.
    static func preferredCoreType(cpuFlags: Set<Substring>) -> String? {
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") && cpuFlags.contains("avx512vl") {
            return "SkylakeX"
        }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        return nil
    }

    static func cpuFlags() -> Set<Substring> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " "))
    }

    private static func load() -> Library {
        var source = "set by the user (OPENBLAS_CORETYPE)"
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil {
            if let core = preferredCoreType(cpuFlags: cpuFlags()) {
                setenv("OPENBLAS_CORETYPE", core, 1)
                source = "chosen by ecgs from the CPU flags"
            } else {
                source = "detected by OpenBLAS"
            }
        }
        let candidates = [
            "libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/libopenblas.so.0", "libblas.so.3"
        ]
        for name in candidates {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL),
                let gemm = dlsym(handle, "cblas_sgemm")
            else { continue }
            // One BLAS thread per call: ecgs parallelises above BLAS (samples of a convolution, blocks
            // of a large product), which avoids OpenBLAS's thread hand-offs around small GEMMs.
            if let set = dlsym(handle, "openblas_set_num_threads") {
                unsafeBitCast(set, to: SetThreadsFn.self)(1)
            }
            return Library(
                sgemm: unsafeBitCast(gemm, to: SgemmFn.self),
                coreName: dlsym(handle, "openblas_get_corename").map { unsafeBitCast($0, to: CoreNameFn.self) },
                setThreads: dlsym(handle, "openblas_set_num_threads").map { unsafeBitCast($0, to: SetThreadsFn.self) },
                getThreads: dlsym(handle, "openblas_get_num_threads").map { unsafeBitCast($0, to: GetThreadsFn.self) },
                path: name, coreTypeSource: source, handle: handle)
        }
        // Nothing user input can cause: the bootstrap script installs OpenBLAS.
        fatalError("ecgs: no BLAS library found (tried \(candidates.joined(separator: ", "))); run scripts/bootstrap")
    }

    /// The kernel family OpenBLAS runs (e.g. "SkylakeX"), and where that choice came from.
    public static var coreDescription: String {
        let lib = library
        let name = lib.coreName?().map { String(cString: $0) } ?? "unknown"
        return "\(name) (\(lib.coreTypeSource); \(lib.path); \(Parallel.workers) threads over \(threads)-thread BLAS calls)"
    }

    public static var coreName: String {
        library.coreName?().map { String(cString: $0) } ?? "unknown"
    }

    /// Threads OpenBLAS uses inside one call (1 by default; ecgs splits work across `Parallel.workers`).
    public static var threads: Int {
        get { Int(library.getThreads?() ?? 1) }
        set { library.setThreads?(Int32(max(1, newValue))) }
    }

    /// Row-major `C = alpha * op(A) * op(B) + beta * C` with `op(A)` m×k and `op(B)` k×n.
    @inline(__always)
    public static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 {
                for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
            } else if beta != 1 {
                for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
            }
            return
        }
        library.sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// How `sgemmParallel` divides an m×n×k product among the workers: nil when it runs in one call (one worker, or
    /// too small to be worth a hand-off), else whether C's rows are divided (else its columns) and the blocks (none
    /// empty: there are at most as many as rows or columns).
    static func parallelSplit(m: Int, n: Int, k: Int) -> (rows: Bool, blocks: [Range<Int>])? {
        let w = Parallel.workers
        if w <= 1 || Double(m) * Double(n) * Double(k) < 4e6 || (m < 32 && n < 32) { return nil }
        let rows = m >= n
        let total = rows ? m : n
        let count = min(w, total)
        return (rows, (0..<count).map { i in (i * total / count)..<((i + 1) * total / count) })
    }

    /// `sgemm` split into column or row blocks of C computed on all workers; small products run
    /// in one call. Same arguments as `sgemm`.
    public static func sgemmParallel(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard let split = parallelSplit(m: m, n: n, k: k) else {
            sgemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc)
            return
        }
        Parallel.run(split.blocks.count) { i in
            let r = split.blocks[i]
            if split.rows {
                sgemm(
                    transA: transA, transB: transB, m: r.count, n: n, k: k, alpha: alpha,
                    a: transA ? a + r.lowerBound : a + r.lowerBound * lda, lda: lda, b: b, ldb: ldb, beta: beta,
                    c: c + r.lowerBound * ldc, ldc: ldc)
            } else {
                sgemm(
                    transA: transA, transB: transB, m: m, n: r.count, k: k, alpha: alpha, a: a, lda: lda,
                    b: transB ? b + r.lowerBound * ldb : b + r.lowerBound, ldb: ldb, beta: beta, c: c + r.lowerBound, ldc: ldc)
            }
        }
    }
}

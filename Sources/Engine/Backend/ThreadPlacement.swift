import Foundation

/// With `ECGS_PIN_THREADS=1`, binds the compute threads to the process's CPUs, one thread per CPU: the thread that
/// starts parallel regions (the process's main thread) to the first, worker `i` to the `i + 1`-th, as OpenMP does
/// with `OMP_PROC_BIND=close`. Unbound, the two threads of an ECGFounder forward pass on a 2-CPU machine were moved
/// between the CPUs by the scheduler (each move leaves the core's L1 and L2 behind): bound, the forward pass took
/// 0.077–0.080 s instead of 0.096 s at L = 1000, batch 16, and 0.149–0.154 s instead of 0.158–0.171 s at L = 5000,
/// batch 8 (3 interleaved rounds, 2026-11-30); binding only the worker gained nothing.
///
/// Off by default, as OpenMP's binding is: every ecgs process binds to the same CPUs, so several computing at once
/// crowd their main threads onto the first CPU while the scheduler cannot move them. The test suite, which runs
/// many `ecgs` processes side by side, took 206 s bound against 165 s unbound on 2 CPUs (2026-11-30). For one
/// process per machine or per CPU set (a benchmark, a Slurm job step) set it to 1.
///
/// Only where the pool's threads are exactly the process's CPUs and all of them compute (not for ranks that share
/// the machine's cores, which lower `Parallel.workers`, nor for `ecgs sweep --jobs N` runs, which it starts with
/// `ECGS_PIN_THREADS=0` when N > 1), and only the main thread among callers: threads of other pools (Swift
/// concurrency's, a test runner's) are never bound.
public enum ThreadPlacement {
    /// `ECGS_PIN_THREADS=1` binds the threads; anything else leaves their placement to the operating system.
    public static let environmentKey = "ECGS_PIN_THREADS"

    /// The CPUs to bind to, in order (caller first, then the workers), or nil to leave placement to the system:
    /// binding is asked for, and there is one allowed CPU per thread and every thread computes (`workers` = pool
    /// threads + caller).
    static func plan(allowed: [Int]?, poolThreads: Int, workers: Int, environment: [String: String]) -> [Int]? {
        guard environment[environmentKey] == "1", poolThreads > 0, let allowed, allowed.count == poolThreads + 1,
            workers == poolThreads + 1
        else { return nil }
        return allowed
    }

    /// What `ecgs info` shows: the CPUs the threads are bound to (from the main thread's first parallel region on),
    /// or why they are not.
    public static var summary: String {
        // The pool's size without starting its threads (`ecgs info` computes nothing).
        let environment = ProcessInfo.processInfo.environment, pool = WorkerPool.sharedThreadCount, allowed = allowedCPUs()
        if let cpus = plan(allowed: allowed, poolThreads: pool, workers: Parallel.workers, environment: environment) {
            let workers = cpus.dropFirst().map(String.init).joined(separator: ", ")
            return "main thread on CPU \(cpus[0]), workers on \(workers) (\(environmentKey)=1)"
        }
        if environment[environmentKey] != "1" { return "none (\(environmentKey)=1 binds one thread per CPU)" }
        return "none (CPUs allowed: \(allowed?.count ?? 0); threads: \(pool + 1), computing: \(Parallel.workers))"
    }

    /// The CPUs the calling thread may run on, ascending (nil where the system does not say).
    static func allowedCPUs() -> [Int]? {
        var mask = [UInt64](repeating: 0, count: 16) // 1,024 CPUs, glibc's cpu_set_t
        guard let call = affinityCall("sched_getaffinity"),
            mask.withUnsafeMutableBytes({ call(0, $0.count, $0.baseAddress!) }) == 0
        else { return nil }
        return (0..<(mask.count * 64)).filter { mask[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }

    /// Binds the calling thread to `cpu`; false where the system refuses (the thread then stays where it was).
    @discardableResult
    static func bind(to cpu: Int) -> Bool {
        guard cpu >= 0 && cpu < 1024, let call = affinityCall("sched_setaffinity") else { return false }
        var mask = [UInt64](repeating: 0, count: 16)
        mask[cpu / 64] = 1 << UInt64(cpu % 64)
        return mask.withUnsafeMutableBytes { call(0, $0.count, $0.baseAddress!) } == 0
    }

    private typealias AffinityCall = @convention(c) (Int32, Int, UnsafeMutableRawPointer) -> Int32

    /// glibc's `sched_getaffinity` / `sched_setaffinity` (pid 0: the calling thread), which Swift's Glibc module
    /// does not declare.
    private static func affinityCall(_ name: String) -> AffinityCall? {
        #if os(Linux)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
            return unsafeBitCast(symbol, to: AffinityCall.self)
        #else
            return nil
        #endif
    }
}

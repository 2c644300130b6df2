import Foundation

/// Splits `0..<count` into contiguous chunks run on all cores; small ranges run inline.
public enum Parallel {
    /// The CPUs this process may run on: its affinity mask (`taskset`, a Slurm or container CPU set), else the
    /// machine's active processors. (The processor count alone put 2 threads on 1 CPU under `taskset -c 0`.)
    public static let availableCPUs = max(1, ThreadPlacement.allowedCPUs()?.count ?? ProcessInfo.processInfo.activeProcessorCount)

    /// Worker count for element-wise kernels (defaults to `availableCPUs`).
    nonisolated(unsafe) public static var workers: Int = availableCPUs

    /// Calls `body(i)` for every `i` in `0..<iterations`, spread over the persistent workers
    /// (`WorkerPool`); runs them one after another on the caller when there is one iteration, one
    /// worker, or another region is already running (a nested call).
    public static func run(_ iterations: Int, _ body: (Int) -> Void) {
        if iterations > 1 && workers > 1 && WorkerPool.shared.run(iterations, body) { return }
        for i in 0..<iterations { body(i) }
    }

    /// Calls `body(range)` for disjoint chunks covering `0..<count`. `grain` is the smallest chunk
    /// worth a thread hand-off (in iterations).
    @inline(__always)
    public static func forEachChunk(_ count: Int, grain: Int = 32_768, _ body: (Range<Int>) -> Void) {
        let w = workers
        if count <= grain || w <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        let chunks = min(w, (count + grain - 1) / grain)
        let size = (count + chunks - 1) / chunks
        run(chunks) { c in
            let lo = c * size
            let hi = min(count, lo + size)
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Calls `body(i)` for every `i` in `0..<count` across the cores (per-item work such as a record).
    /// A chunk stops at its first error; the error of the lowest index is rethrown, so messages do not
    /// depend on scheduling. `progress(done)` is called after each finished item, serialised. A stop
    /// request (`Cancellation`) ends every chunk before its next item and throws `interrupted`.
    public static func forEach(
        _ count: Int, grain: Int = 1, progress: ((Int) -> Void)? = nil,
        _ body: (Int) throws -> Void
    ) throws {
        let lock = NSLock()
        var failure: (index: Int, error: Error)?
        var done = 0
        let stop = StopFlag()
        forEachChunk(count, grain: grain) { range in
            for i in range {
                if stop.requested { return }
                do { try body(i) } catch {
                    lock.lock()
                    if failure == nil || failure!.index > i { failure = (i, error) }
                    lock.unlock()
                    return
                }
                if let progress {
                    lock.lock(); done += 1; progress(done); lock.unlock()
                }
            }
        }
        if let failure { throw IndexedError(index: failure.index, error: failure.error) }
        try stop.throwIfRequested("parallel")
    }
}

/// An error from item `index` of a `Parallel.forEach`.
public struct IndexedError: Error {
    public let index: Int
    public let error: Error
    /// The underlying message without the operation name, for callers that add their own context.
    public var message: String { (error as? EngineError)?.message ?? "\(error)" }
}

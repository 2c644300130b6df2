import Foundation

/// Splits `0..<count` into contiguous chunks run on all cores; small ranges run inline.
public enum Parallel {
    /// Worker count for element-wise kernels (defaults to the active processor count).
    nonisolated(unsafe) public static var workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

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
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * size
            let hi = min(count, lo + size)
            if lo < hi { body(lo..<hi) }
        }
    }
}

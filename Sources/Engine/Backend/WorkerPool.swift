import Foundation
import Synchronization

/// Persistent worker threads behind `Parallel.run`.
///
/// A training step of Net1D starts several hundred short parallel regions (a convolution, a Swish,
/// a residual add …). With `DispatchQueue.concurrentPerform` each one woke a sleeping thread through
/// the kernel: 10–15 % of a small-preset step went to futex wake-ups and scheduling. Here the workers
/// spin for a short while after each region, so the next one starts without a system call, and only
/// then sleep on a condition variable (OpenMP's policy).
///
/// One region runs at a time. A `run` that finds the pool busy — a nested region inside a body, or a
/// region started on another thread meanwhile — returns false and the caller runs the iterations
/// itself, so regions never wait for each other and never deadlock.
final class WorkerPool: @unchecked Sendable {
    /// The workers the shared pool starts: one per CPU the process may use besides the caller's.
    static let sharedThreadCount = Parallel.availableCPUs - 1
    static let shared = WorkerPool(threads: sharedThreadCount)

    /// How long an idle worker polls for the next region before it sleeps.
    private static let spinSeconds = 0.000_3

    let threadCount: Int
    /// The region being run: generation (24 bits) | iterations (20 bits) | next unclaimed index
    /// (20 bits). A worker claims an index with one compare-and-swap that also checks the
    /// generation, so it can never claim work of a region other than the one it saw.
    private let ticket = Atomic<UInt64>(0)
    private let finished = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    /// Read by a worker only after a successful claim, and cleared only after every claimed
    /// iteration finished.
    private var body: ((Int) -> Void)?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var sleeping = 0 // guarded by mutex
    /// CPUs the threads are bound to (`ThreadPlacement`): decided at the main thread's first region, written
    /// before that region's ticket is published and read by the workers after they see it.
    private var placement: [Int]?
    private var placementDecided = false
    private static let indexBits: UInt64 = 20
    private static let indexMask: UInt64 = (1 << indexBits) - 1
    static let maxIterations = Int(indexMask)

    private init(threads: Int) {
        threadCount = threads
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for i in 0..<threads {
            let thread = Thread { [unowned self] in self.workerLoop(index: i) }
            thread.name = "ecgs-worker-\(i + 1)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private static func generation(_ t: UInt64) -> UInt64 { t >> (2 * indexBits) }

    /// Runs `body(i)` for `i` in `0..<iterations` on the caller and the workers; false (nothing run)
    /// when the pool has no threads, is busy, or the count does not fit a ticket.
    func run(_ iterations: Int, _ body: (Int) -> Void) -> Bool {
        guard threadCount > 0, iterations <= Self.maxIterations,
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        if !placementDecided && Thread.isMainThread {
            placementDecided = true
            placement = ThreadPlacement.plan(
                allowed: ThreadPlacement.allowedCPUs(), poolThreads: threadCount, workers: Parallel.workers,
                environment: ProcessInfo.processInfo.environment)
            if let cpus = placement { ThreadPlacement.bind(to: cpus[0]) }
        }
        withoutActuallyEscaping(body) { body in
            self.body = body
            finished.store(0, ordering: .relaxed)
            let gen = (Self.generation(ticket.load(ordering: .relaxed)) + 1) & ((1 << 24) - 1)
            ticket.store(gen << (2 * Self.indexBits) | UInt64(iterations) << Self.indexBits, ordering: .releasing)
            pthread_mutex_lock(mutex)
            if sleeping > 0 { pthread_cond_broadcast(wake) }
            pthread_mutex_unlock(mutex)
            work(generation: gen)
            var polls = 0
            while finished.load(ordering: .acquiring) < iterations {
                polls += 1
                if polls % 64 == 0 { sched_yield() }
            }
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    /// Claims and runs iterations of region `generation` until none is left.
    private func work(generation gen: UInt64) {
        var t = ticket.load(ordering: .acquiring)
        while Self.generation(t) == gen {
            let count = (t >> Self.indexBits) & Self.indexMask, next = t & Self.indexMask
            if next >= count { return }
            let (exchanged, current) = ticket.compareExchange(expected: t, desired: t + 1, ordering: .acquiringAndReleasing)
            if !exchanged { t = current; continue }
            body!(Int(next))
            finished.add(1, ordering: .releasing)
            t = ticket.load(ordering: .acquiring)
        }
    }

    private func workerLoop(index: Int) {
        var seen = Self.generation(ticket.load(ordering: .acquiring))
        var bound = false
        while true {
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(Self.spinSeconds * 1e9)
            var polls = 0
            while Self.generation(ticket.load(ordering: .acquiring)) == seen {
                polls += 1
                guard polls % 128 == 0 else { continue }
                if DispatchTime.now().uptimeNanoseconds > deadline {
                    pthread_mutex_lock(mutex)
                    sleeping += 1
                    while Self.generation(ticket.load(ordering: .acquiring)) == seen { pthread_cond_wait(wake, mutex) }
                    sleeping -= 1
                    pthread_mutex_unlock(mutex)
                } else if polls % 1024 == 0 {
                    sched_yield() // other runnable threads (a busy machine) get the core
                }
            }
            seen = Self.generation(ticket.load(ordering: .acquiring))
            if !bound, let cpus = placement {
                ThreadPlacement.bind(to: cpus[index + 1])
                bound = true
            }
            work(generation: seen)
        }
    }
}

import Foundation

/// Lets long engine operations (data loading, synthesis, preprocessing, prediction, bootstrap) stop
/// early when the user presses Ctrl-C or a notebook cell runs out of time. The caller binds a stop check
/// to the current thread for the duration of a call (`Cancellation.withStopCheck(…) { … }`); operations
/// poll it between records or batches and throw `Interrupted(op)`, keeping nothing half-made; training
/// polls it between batches and ends gracefully instead, keeping the best model and history so far. This
/// is the engine's only stop mechanism. (A thread-local, not a `@TaskLocal`: pushing a task-local value outside a task crashed in
/// release builds of Swift 6.0 on Linux.)
public enum Cancellation {
    public typealias Check = @Sendable () -> Bool
    private final class Box {
        let check: Check
        init(_ check: @escaping Check) { self.check = check }
    }
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// The stop check bound to this thread (never stops when none is bound).
    public static var shouldStop: Check {
        guard let p = pthread_getspecific(key) else { return { false } }
        return Unmanaged<Box>.fromOpaque(p).takeUnretainedValue().check
    }

    /// Runs `body` with `check` as this thread's stop check, restoring the previous one after.
    public static func withStopCheck<T>(_ check: @escaping Check, _ body: () throws -> T) rethrows -> T {
        let box = Box(check)
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(box).toOpaque())
        defer {
            pthread_setspecific(key, previous)
            withExtendedLifetime(box) {}
        }
        return try body()
    }

    /// Throws `Interrupted(op)` when a stop was requested.
    public static func check(_ op: String) throws {
        if shouldStop() { throw interrupted(op) }
    }

    public static func interrupted(_ op: String) -> Interrupted { Interrupted(op) }

    /// Whether `error` is a cancellation (not a failure).
    public static func isInterruption(_ error: Error) -> Bool { error is Interrupted }
}

/// A flag that parallel workers set when they saw a stop request (the check is bound to the calling
/// thread, not the workers, so `Parallel.forEach` reads `Cancellation.shouldStop` once and shares it).
final class StopFlag: @unchecked Sendable {
    private let check: Cancellation.Check
    private var seen = false
    private let lock = NSLock()
    init() { check = Cancellation.shouldStop }
    /// Polls the stop request; once true, stays true.
    var requested: Bool {
        lock.lock(); defer { lock.unlock() }
        if !seen { seen = check() }
        return seen
    }
    func throwIfRequested(_ op: String) throws {
        if requested { throw Cancellation.interrupted(op) }
    }
}

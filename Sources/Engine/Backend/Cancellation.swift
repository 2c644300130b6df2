import Foundation

/// Lets long engine operations (data loading, synthesis, preprocessing, prediction, bootstrap) stop
/// early when the user presses Ctrl-C or a notebook cell runs out of time. The caller binds `shouldStop`
/// for the duration of a call (`Cancellation.$shouldStop.withValue(…) { … }`); operations poll it
/// between records or batches and throw `EngineError(op, "interrupted")`, keeping nothing half-made.
public enum Cancellation {
    public typealias Check = @Sendable () -> Bool
    @TaskLocal public static var shouldStop: Check = { false }

    /// Throws `EngineError(op, "interrupted")` when a stop was requested.
    public static func check(_ op: String) throws {
        if shouldStop() { throw interrupted(op) }
    }

    public static func interrupted(_ op: String) -> EngineError { EngineError(op, "interrupted") }

    /// Whether `error` is a cancellation (not a failure).
    public static func isInterruption(_ error: Error) -> Bool {
        (error as? EngineError)?.message == "interrupted"
    }
}

/// A flag that parallel workers set when they saw a stop request (task-locals do not reach worker
/// threads, so a parallel loop reads `Cancellation.shouldStop` once and shares it with this).
public final class StopFlag: @unchecked Sendable {
    private let check: Cancellation.Check
    private var seen = false
    private let lock = NSLock()
    public init() { check = Cancellation.shouldStop }
    /// Polls the stop request; once true, stays true.
    public var requested: Bool {
        lock.lock(); defer { lock.unlock() }
        if !seen { seen = check() }
        return seen
    }
    public func throwIfRequested(_ op: String) throws {
        if requested { throw Cancellation.interrupted(op) }
    }
}

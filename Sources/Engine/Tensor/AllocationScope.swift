import Synchronization

/// Counts the bytes of tensor storage allocated inside a scope that are still alive, wherever they are
/// freed. Tests use it to prove that memory is released (a graph never given to `backward()`, a model
/// that went out of use) by counting bytes rather than checking values; scopes are per task, so tests
/// running at the same time do not see each other's allocations.
public final class AllocationScope: Sendable {
    let bytes = Atomic<Int>(0)
    @TaskLocal static var current: AllocationScope?

    public init() {}

    /// Bytes allocated in this scope and not yet freed.
    public var liveBytes: Int { bytes.load(ordering: .relaxed) }

    /// Runs `body` with this scope current: storages it allocates on this task are counted here.
    public func run<T>(_ body: () throws -> T) rethrows -> T {
        try AllocationScope.$current.withValue(self) { try body() }
    }
}

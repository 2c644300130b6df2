/// Hooks a caller passes to long operations: progress events. (Stopping goes through `Cancellation`.)
public struct TrainHooks: @unchecked Sendable {
    public var onEvent: (TrainEvent) -> Void
    public init(onEvent: @escaping (TrainEvent) -> Void = { _ in }) {
        self.onEvent = onEvent
    }
}

/// The one error a stop request produces: the user pressed Ctrl-C, or a notebook cell ran out of time.
/// Long operations throw it at their next poll of `Cancellation.shouldStop`, having kept nothing half-made;
/// front ends tell it from failures by its type, never by its text.
public struct Interrupted: Error, CustomStringConvertible, Equatable, Sendable {
    /// The operation that saw the stop request.
    public let op: String
    public init(_ op: String) { self.op = op }
    public var description: String { "\(op): interrupted" }
}

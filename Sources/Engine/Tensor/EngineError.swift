/// An error raised by an engine operation on input the user controls (shapes, indices, files).
/// `op` names the operation, `message` states the conflicting facts.
public struct EngineError: Error, CustomStringConvertible, Equatable, Sendable {
    public let op: String
    public let message: String

    public init(_ op: String, _ message: String) {
        self.op = op
        self.message = message
    }

    public var description: String { "\(op): \(message)" }
}

/// Formats a shape as PyTorch prints it in messages: `[2, 5]`.
@inlinable
public func shapeString(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}

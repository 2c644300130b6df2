import Engine

/// A built-in function: one registry entry gives its name, parameters, documentation, example and body.
public final class Builtin: Callable {
    public let name: String
    public let topic: String
    public let parameters: [Param]
    public let doc: String
    public let example: String
    let body: (Args) throws -> Value

    init(_ name: String, topic: String, _ params: [Param], doc: String, example: String, body: @escaping (Args) throws -> Value) {
        self.name = name
        self.topic = topic
        self.parameters = params
        self.doc = doc
        self.example = example
        self.body = body
    }

    public var signature: String {
        "\(name)("
            + parameters.map { p in
                if p.variadic { return "\(p.name)…" }
                return p.defaultValue.map { "\(p.name)=\(Display.repr($0))" } ?? p.name
            }.joined(separator: ", ") + ")"
    }

    public func call(_ args: BoundArguments, interpreter: Interpreter) throws -> Value {
        try body(Args(function: self, bound: args, interpreter: interpreter))
    }
}

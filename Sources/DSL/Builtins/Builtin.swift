import Engine
import Foundation

/// A parameter of a built-in: its name, the type it accepts (for docs and messages) and its default
/// (nil: required). A variadic parameter takes every remaining positional argument.
public struct Param {
    public var name: String
    public var type: String
    public var defaultValue: Value?
    public var variadic = false
    public var doc: String

    public static func required(_ name: String, _ type: String, _ doc: String = "") -> Param {
        Param(name: name, type: type, defaultValue: nil, doc: doc)
    }
    public static func optional(_ name: String, _ type: String, _ def: Value, _ doc: String = "") -> Param {
        Param(name: name, type: type, defaultValue: def, doc: doc)
    }
    public static func rest(_ name: String, _ type: String, _ doc: String = "") -> Param {
        Param(name: name, type: type, defaultValue: .list([]), variadic: true, doc: doc)
    }
}

/// A built-in function: one registry entry gives its name, parameters, documentation, example and body.
public final class Builtin {
    public let name: String
    public let topic: String
    public let params: [Param]
    public let doc: String
    public let example: String
    let body: (Args) throws -> Value

    init(_ name: String, topic: String, _ params: [Param], doc: String, example: String, body: @escaping (Args) throws -> Value) {
        self.name = name
        self.topic = topic
        self.params = params
        self.doc = doc
        self.example = example
        self.body = body
    }

    public var signature: String {
        "\(name)(" + params.map { p in
            if p.variadic { return "\(p.name)…" }
            return p.defaultValue.map { "\(p.name)=\(Display.repr($0))" } ?? p.name
        }.joined(separator: ", ") + ")"
    }

    func invoke(_ args: [CallArgument], interpreter: Interpreter, at r: SourceRange) throws -> Value {
        var bound: [String: (Value, SourceRange)] = [:]
        var rest: [Value] = []
        var pos = 0
        // Parameters after a variadic one are keyword-only (as in Python's print(*values, sep=" ")).
        let positional = Array(params.prefix { !$0.variadic })
        for a in args {
            if let label = a.label {
                guard let p = params.first(where: { $0.name == label && !$0.variadic }) else {
                    let hint = didYouMean(label, among: params.filter { !$0.variadic }.map(\.name))
                    throw Diagnostic("\(name): unknown argument '\(label)'\(hint)", at: a.range)
                }
                guard bound[p.name] == nil else { throw Diagnostic("\(name): argument '\(label)' given twice", at: a.range) }
                bound[p.name] = (a.value, a.range)
            } else if pos < positional.count {
                bound[positional[pos].name] = (a.value, a.range)
                pos += 1
            } else if params.contains(where: \.variadic) {
                rest.append(a.value)
            } else {
                throw Diagnostic("\(name): takes at most \(positional.count) positional argument\(positional.count == 1 ? "" : "s"), got \(args.filter { $0.label == nil }.count)", at: a.range)
            }
        }
        let given = Set(bound.keys)
        for p in params where !p.variadic && bound[p.name] == nil {
            guard let d = p.defaultValue else { throw Diagnostic("\(name): missing argument '\(p.name)' (\(p.type))", at: r) }
            bound[p.name] = (d, r)
        }
        return try body(Args(function: self, values: bound, given: given, rest: rest, interpreter: interpreter, range: r))
    }
}

/// Bound arguments with typed accessors whose errors name the function, the argument and the types.
struct Args {
    let function: Builtin
    let values: [String: (Value, SourceRange)]
    /// The arguments the call gave (the others hold their defaults).
    let given: Set<String>
    let rest: [Value]
    let interpreter: Interpreter
    let range: SourceRange

    var name: String { function.name }

    func value(_ key: String) -> Value { values[key]?.0 ?? .nil_ }
    func isNil(_ key: String) -> Bool { if case .nil_ = value(key) { return true }; return false }
    func place(_ key: String) -> SourceRange { values[key]?.1 ?? range }

    func typeError(_ key: String, _ expected: String) -> Diagnostic {
        Diagnostic("\(name): argument '\(key)' must be \(expected), got a \(value(key).typeName)", at: place(key))
    }

    func number(_ key: String) throws -> Double {
        guard case .number(let x) = value(key) else { throw typeError(key, "a number") }
        return x
    }
    func optionalNumber(_ key: String) throws -> Double? { isNil(key) ? nil : try number(key) }
    func int(_ key: String, min lo: Int = Int.min, max hi: Int = Int.max) throws -> Int {
        let x = try number(key)
        guard x == x.rounded(), abs(x) < 1e15 else { throw Diagnostic("\(name): argument '\(key)' must be an integer, got \(formatNumber(x))", at: place(key)) }
        let i = Int(x)
        guard i >= lo && i <= hi else {
            throw Diagnostic("\(name): argument '\(key)' must be \(hi == Int.max ? "at least \(lo)" : "between \(lo) and \(hi)"), got \(i)", at: place(key))
        }
        return i
    }
    func optionalInt(_ key: String, min lo: Int = Int.min) throws -> Int? { isNil(key) ? nil : try int(key, min: lo) }
    func seed(_ key: String = "seed") throws -> UInt64 { UInt64(try int(key, min: 0)) }
    func string(_ key: String) throws -> String {
        guard case .string(let s) = value(key) else { throw typeError(key, "a string") }
        return s
    }
    func optionalString(_ key: String) throws -> String? { isNil(key) ? nil : try string(key) }
    func choice(_ key: String, _ options: [String]) throws -> String {
        let s = try string(key)
        guard options.contains(s) else {
            let hint = didYouMean(s, among: options)
            throw Diagnostic("\(name): argument '\(key)' must be one of \(options.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(s)\"\(hint)", at: place(key))
        }
        return s
    }
    func bool(_ key: String) throws -> Bool {
        guard case .bool(let b) = value(key) else { throw typeError(key, "true or false") }
        return b
    }
    func tensor(_ key: String) throws -> Tensor {
        do { return try Convert.tensor(value(key), op: name) } catch let e as EngineError { throw Diagnostic(e.description, at: place(key)) }
    }
    func dataset(_ key: String) throws -> ECGDataset {
        guard case .dataset(let d) = value(key) else { throw typeError(key, "a Dataset") }
        return d
    }
    func model(_ key: String) throws -> Net1D {
        switch value(key) {
        case .model(let m): return m
        case .run(let r): return r.model
        default: throw typeError(key, "a Model (or a Run)")
        }
    }
    func evaluation(_ key: String) throws -> Evaluation {
        guard case .evaluation(let e) = value(key) else { throw typeError(key, "an Evaluation") }
        return e
    }
    func function(_ key: String) throws -> Value {
        switch value(key) {
        case .function, .builtin: return value(key)
        default: throw typeError(key, "a function")
        }
    }
    func strings(_ key: String) throws -> [String] {
        do { return try Convert.strings(value(key), op: name) } catch let e as EngineError { throw Diagnostic(e.description, at: place(key)) }
    }
    func numbers(_ key: String) throws -> [Double] {
        do { return try Convert.numbers(value(key), op: name) } catch let e as EngineError { throw Diagnostic(e.description, at: place(key)) }
    }
    func shape(_ key: String) throws -> [Int] {
        do { return try Convert.shape(value(key), op: name) } catch let e as EngineError { throw Diagnostic(e.description, at: place(key)) }
    }
    /// A path argument: `~` expanded.
    func path(_ key: String) throws -> String {
        let s = try string(key)
        guard !s.isEmpty else { throw Diagnostic("\(name): argument '\(key)' is an empty path", at: place(key)) }
        return s.hasPrefix("~/") ? (ProcessEnv.home + s.dropFirst()) : s
    }
}

enum ProcessEnv {
    static var home: String { ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory() }
}

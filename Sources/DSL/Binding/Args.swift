import Engine
import Foundation

/// Bound arguments with typed accessors whose errors name the function, the argument and the types.
struct Args {
    let function: Builtin
    let bound: BoundArguments
    let interpreter: Interpreter

    var name: String { function.name }
    var values: [String: (Value, SourceRange)] { bound.values }
    /// The arguments the call gave (the others hold their defaults).
    var given: Set<String> { bound.given }
    var rest: [Value] { bound.rest }
    var range: SourceRange { bound.range }

    func value(_ key: String) -> Value { values[key]?.0 ?? .nil_ }
    func isNil(_ key: String) -> Bool { if case .nil_ = value(key) { return true }; return false }
    func place(_ key: String) -> SourceRange { values[key]?.1 ?? range }

    func typeError(_ key: String, _ expected: String) -> Diagnostic {
        Diagnostic("\(name): argument '\(key)' must be \(expected), got \(value(key).aTypeName)", at: place(key))
    }

    func number(_ key: String) throws -> Double {
        guard case .number(let x) = value(key) else { throw typeError(key, "a number") }
        return x
    }
    func optionalNumber(_ key: String) throws -> Double? { isNil(key) ? nil : try number(key) }
    func int(_ key: String, min lo: Int = Int.min, max hi: Int = Int.max) throws -> Int {
        let x = try number(key)
        guard x == x.rounded(), abs(x) < 1e15 else {
            throw Diagnostic("\(name): argument '\(key)' must be an integer, got \(formatNumber(x))", at: place(key))
        }
        let i = Int(x)
        guard i >= lo && i <= hi else {
            throw Diagnostic(
                "\(name): argument '\(key)' must be \(hi == Int.max ? "at least \(lo)" : "between \(lo) and \(hi)"), got \(i)",
                at: place(key))
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
    /// The case a choice parameter names (`ArgumentBinder` has checked the name against the parameter's choices).
    func choice<C: Choice>(_ key: String, _ type: C.Type = C.self) throws -> C {
        let s = try string(key)
        guard let c = C(rawValue: s) else {
            let names = C.allCases.map(\.rawValue)
            throw Diagnostic(
                "\(name): argument '\(key)' must be one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(s)\""
                    + didYouMean(s, among: names), at: place(key))
        }
        return c
    }
    func optionalChoice<C: Choice>(_ key: String, _ type: C.Type = C.self) throws -> C? { isNil(key) ? nil : try choice(key, type) }
    /// A list of choice names (`metrics=["val_auroc", "lr"]`), each checked.
    func choices<C: Choice>(_ key: String, _ type: C.Type = C.self) throws -> [C] {
        let names = C.allCases.map(\.rawValue)
        return try strings(key).map { s in
            guard let c = C(rawValue: s) else {
                throw Diagnostic(
                    "\(name): argument '\(key)': unknown \"\(s)\"\(didYouMean(s, among: names)); choose from "
                        + names.map { "\"\($0)\"" }.joined(separator: ", "), at: place(key))
            }
            return c
        }
    }
    func bool(_ key: String) throws -> Bool {
        guard case .bool(let b) = value(key) else { throw typeError(key, "true or false") }
        return b
    }
    func tensor(_ key: String) throws -> Tensor {
        do { return try Convert.tensor(value(key), op: name) } catch let e as EngineError {
            throw Diagnostic(e.description, at: place(key))
        }
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
        do { return try Convert.strings(value(key), op: name) } catch let e as EngineError {
            throw Diagnostic(e.description, at: place(key))
        }
    }
    func numbers(_ key: String) throws -> [Double] {
        do { return try Convert.numbers(value(key), op: name) } catch let e as EngineError {
            throw Diagnostic(e.description, at: place(key))
        }
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

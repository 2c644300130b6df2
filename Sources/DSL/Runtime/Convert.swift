import Engine

/// Conversions between ECGScript values and engine data.
enum Convert {
    static func cell(_ c: Table.Cell) -> Value {
        switch c {
        case .number(let v): return .number(v)
        case .text(let s): return .string(s)
        }
    }

    static func toCell(_ v: Value) -> Table.Cell {
        if case .number(let x) = v { return .number(x) }
        if case .bool(let b) = v { return .text(b ? "true" : "false") }
        return .text(Display.inline(v))
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.nil_, .nil_): return true
        case (.list(let x), .list(let y)): return x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { equal($0, $1) }
        case (.tuple(let x), .tuple(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.dict(let x), .dict(let y)): return x.keys == y.keys && x.keys.allSatisfy { equal(x[$0]!, y[$0]!) }
        case (.range(let a, let b, let c), .range(let d, let e, let f)): return a == d && b == e && c == f
        case (.tensor(let x), .tensor(let y)): return x === y
        case (.model(let x), .model(let y)): return x === y
        case (.run(let x), .run(let y)): return x === y
        case (.function(let x), .function(let y)): return x === y
        case (.builtin(let x), .builtin(let y)): return x.name == y.name
        default: return false
        }
    }

    /// A nested list of numbers (or a number, or a tensor) as a tensor.
    static func tensor(_ v: Value, op: String) throws -> Tensor {
        switch v {
        case .tensor(let t): return t
        case .number(let x): return Tensor(scalar: Float(x))
        case .list, .range, .tuple:
            var shape: [Int] = []
            var flat: [Float] = []
            func walk(_ v: Value, depth: Int) throws {
                let items: [Value]
                switch v {
                case .number(let x):
                    guard depth == shape.count else { throw EngineError(op, "ragged nested list (a number where a list was expected)") }
                    flat.append(Float(x)); return
                case .bool(let b):
                    guard depth == shape.count else { throw EngineError(op, "ragged nested list") }
                    flat.append(b ? 1 : 0); return
                case .list(let l): items = l.items
                case .tuple(let t): items = t
                case .range(let a, let b, let s): items = stride(from: a, to: b, by: s).map { .number(Double($0)) }
                default: throw EngineError(op, "expected numbers in the list, found \(v.aTypeName)")
                }
                if depth == shape.count {
                    // A new innermost dimension once numbers were placed: a list beside a number (`[1, [2]]`).
                    guard flat.isEmpty else { throw EngineError(op, "ragged nested list (a list where a number was expected)") }
                    shape.append(items.count)
                } else if depth > shape.count || shape[depth] != items.count {
                    throw EngineError(
                        op, "ragged nested list (lengths \(depth < shape.count ? shape[depth] : 0) and \(items.count) at depth \(depth))")
                }
                for it in items { try walk(it, depth: depth + 1) }
            }
            try walk(v, depth: 0)
            guard try Tensor.checkedCount(shape, op: op) == flat.count else { throw EngineError(op, "ragged nested list") }
            return Tensor(flat, shape: shape)
        default:
            throw EngineError(op, "expected a tensor, a number or a list of numbers, got \(v.aTypeName)")
        }
    }

    static func shape(_ v: Value, op: String) throws -> [Int] {
        switch v {
        case .number(let x): return [try int(x, op: op, what: "dimension")]
        case .list(let l):
            return try l.items.map {
                guard case .number(let x) = $0 else { throw EngineError(op, "shape must be a list of integers, found \($0.aTypeName)") }
                return try int(x, op: op, what: "dimension")
            }
        default: throw EngineError(op, "shape must be a number or a list of integers, got \(v.aTypeName)")
        }
    }

    static func int(_ x: Double, op: String, what: String) throws -> Int {
        guard x == x.rounded(), abs(x) < 1e15 else { throw EngineError(op, "\(what) must be an integer, got \(formatNumber(x))") }
        return Int(x)
    }

    static func numbers(_ v: Value, op: String) throws -> [Double] {
        switch v {
        case .tensor(let t): return t.values.map(Double.init)
        case .list(let l):
            return try l.items.map {
                guard case .number(let x) = $0 else { throw EngineError(op, "expected a list of numbers, found \($0.aTypeName)") }
                return x
            }
        case .range(let a, let b, let s): return stride(from: a, to: b, by: s).map(Double.init)
        case .number(let x): return [x]
        default: throw EngineError(op, "expected numbers (a list or a tensor), got \(v.aTypeName)")
        }
    }

    static func strings(_ v: Value, op: String) throws -> [String] {
        switch v {
        case .string(let s): return [s]
        case .list(let l):
            return try l.items.map {
                guard case .string(let s) = $0 else { throw EngineError(op, "expected a list of strings, found \($0.aTypeName)") }
                return s
            }
        default: throw EngineError(op, "expected a string or a list of strings, got \(v.aTypeName)")
        }
    }

}

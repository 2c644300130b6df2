import Engine

/// A runtime value of ECGScript.
public enum Value {
    case number(Double)
    case string(String)
    case bool(Bool)
    case nil_
    case list(ListBox)
    /// An immutable sequence (`a, b`), shown as `(a, b)` like Python's tuple.
    case tuple([Value])
    case dict(DictBox)
    case function(Closure)
    case builtin(Builtin)
    case range(Int, Int, Int)
    case tensor(Tensor)
    // Large structs are boxed: every Value is as large as its largest inline payload, and the interpreter's
    // recursion keeps many on the stack (an unboxed ECGRecord overflowed a 512 KiB thread stack at the
    // 180-call limit).
    indirect case record(ECGRecord)
    indirect case dataset(ECGDataset)
    case model(Net1D)
    case run(Run)
    indirect case evaluation(Evaluation)
    indirect case figure(Figure)
    indirect case table(Table)

    /// Python-like truthiness: nil, false, 0, "" and empty collections are false.
    var truthy: Bool {
        switch self {
        case .bool(let b): return b
        case .nil_: return false
        case .number(let v): return v != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return !d.keys.isEmpty
        case .range(let a, let b, let s): return s > 0 ? a < b : a > b
        default: return true
        }
    }

    static func list(_ items: [Value]) -> Value { .list(ListBox(items)) }
}

/// Lists have reference semantics (as in Python): `b = a` shares the list.
public final class ListBox {
    public var items: [Value]
    var isTracked = false
    public init(_ items: [Value]) { self.items = items }
}

/// An insertion-ordered dictionary with string keys.
public final class DictBox {
    public private(set) var keys: [String] = []
    public private(set) var storage: [String: Value] = [:]
    var isTracked = false
    public init(_ pairs: [(String, Value)] = []) { for (k, v) in pairs { self[k] = v } }
    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage[key] == nil { keys.append(key) }
                storage[key] = newValue
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }
    public var pairs: [(String, Value)] { keys.map { ($0, storage[$0]!) } }
    func removeAll() {
        keys.removeAll()
        storage.removeAll()
    }
}

/// A user function with the scope it closes over.
public final class Closure: Callable {
    let decl: FunctionDecl
    let scope: Scope
    init(decl: FunctionDecl, scope: Scope) {
        self.decl = decl
        self.scope = scope
    }
    public var name: String { decl.name ?? "fn" }
    public var parameters: [Param] {
        decl.params.map { Param(name: $0.name, type: "", defaultKind: $0.defaultValue == nil ? .required : .computed, doc: "") }
    }
    public func call(_ args: BoundArguments, interpreter: Interpreter) throws -> Value { try interpreter.invoke(self, args) }
}

/// Variable bindings; functions see the scope they were defined in.
public final class Scope {
    var vars: [String: Value] = [:]
    let parent: Scope?
    var isTracked = false
    init(parent: Scope? = nil) { self.parent = parent }

    func lookup(_ name: String) -> Value? {
        var s: Scope? = self
        while let c = s {
            if let v = c.vars[name] { return v }
            s = c.parent
        }
        return nil
    }

    /// Assigns to the innermost scope that has the name, else defines it here. The root scope (the
    /// built-ins) is never written: assigning a built-in's name shadows it.
    func assign(_ name: String, _ v: Value) {
        var s: Scope? = self
        while let c = s, c.parent != nil {
            if c.vars[name] != nil { c.vars[name] = v; return }
            s = c.parent
        }
        vars[name] = v
    }

    var allNames: [String] {
        var out = Set<String>()
        var s: Scope? = self
        while let c = s { out.formUnion(c.vars.keys); s = c.parent }
        return out.sorted()
    }
}

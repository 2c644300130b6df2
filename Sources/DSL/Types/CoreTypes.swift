import Engine

/// The language's own types: numbers, strings, booleans, nil, lists, dicts, functions and ranges.
enum CoreTypes {
    static let number = TypeDescriptor(
        "number",
        {
            if case .number(let x) = $0 { return x }; return nil
        }, repr: formatNumber)

    static let string = TypeDescriptor(
        "string",
        {
            if case .string(let s) = $0 { return s }; return nil
        },
        repr: { s in
            "\""
                + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
        },
        elements: { s, _, body in for c in s where try !body(.string(String(c))) { return } },
        count: { $0.count })

    static let bool = TypeDescriptor(
        "bool",
        {
            if case .bool(let b) = $0 { return b }; return nil
        }, repr: { $0 ? "true" : "false" })

    static let nil_ = TypeDescriptor(
        "nil",
        {
            if case .nil_ = $0 { return () }; return nil
        }, repr: { "nil" })

    static let list = TypeDescriptor(
        "list",
        {
            if case .list(let l) = $0 { return l }; return nil
        },
        repr: { l in
            "[" + l.items.prefix(100).map(Display.repr).joined(separator: ", ")
                + (l.items.count > 100 ? ", … (\(l.items.count) items)" : "") + "]"
        },
        elements: { l, _, body in for v in l.items where try !body(v) { return } },
        count: { $0.items.count })

    static let tuple = TypeDescriptor(
        "tuple",
        {
            if case .tuple(let t) = $0 { return t }; return nil
        },
        repr: { t in "(" + t.map(Display.repr).joined(separator: ", ") + (t.count == 1 ? ",)" : ")") },
        block: { t in
            // A tuple of values shown as tables (datasets, evaluations…) shows each in turn; of plain values, (a, b).
            t.contains { $0.descriptor.block != nil && $0.descriptor.name != "tuple" }
                ? t.map { Display.block($0).trimmingCharacters(in: .newlines) }.joined(separator: "\n") + "\n"
                : "(" + t.map(Display.repr).joined(separator: ", ") + (t.count == 1 ? ",)" : ")")
        },
        elements: { t, _, body in for v in t where try !body(v) { return } },
        count: { $0.count })

    static let dict = TypeDescriptor(
        "dict",
        {
            if case .dict(let d) = $0 { return d }; return nil
        },
        fields: [],
        dynamicMember: { (d: DictBox, name: String) -> Value? in
            if let x = d[name] { return x }
            if name == "keys" { return .list(d.keys.map(Value.string)) }
            return nil
        },
        dynamicNames: { (d: DictBox) in d.keys + (d["keys"] == nil ? ["keys"] : []) },
        dynamicDocs: [("<key>", "the value at key (assignable)"), ("keys", "list of keys (when there is no 'keys' entry)")],
        dynamicSet: { (d: DictBox, name: String, v: Value) in d[name] = v },
        repr: { (d: DictBox) in "{" + d.pairs.map { "\($0.0): \(Display.repr($0.1))" }.joined(separator: ", ") + "}" },
        elements: { d, _, body in for k in d.keys where try !body(.string(k)) { return } },
        count: { $0.keys.count })

    static let function = TypeDescriptor(
        "function", { v -> Callable? in v.callable },
        fields: [
            FieldOf("name", "the function's name", get: { .string($0.name) }),
            FieldOf("parameters", "parameter names", get: { .list($0.parameters.map { .string($0.name) }) })
        ],
        repr: { c in
            if let b = c as? Builtin { return "<built-in \(b.name)>" }
            return "<fn \(c.name)(\(c.parameters.map(\.name).joined(separator: ", ")))>"
        })

    static let range = TypeDescriptor(
        "range",
        {
            if case .range(let a, let b, let s) = $0 { return (a, b, s) }; return nil
        },
        repr: { a, b, s in s == 1 ? "range(\(a), \(b))" : "range(\(a), \(b), \(s))" },
        elements: { r, _, body in
            var i = r.0
            while r.2 > 0 ? i < r.1 : i > r.1 {
                if try !body(.number(Double(i))) { return }
                i += r.2
            }
        },
        count: { a, b, s in max(0, (b - a + s - (s > 0 ? 1 : -1)) / s) })
}

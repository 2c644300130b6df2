import Engine
import Foundation

enum GeneralBuiltins {
    static let topic = "general"

    static let all: [Builtin] = [
        Builtin(
            "print", topic: topic,
            [.rest("values", "anything"), .optional("sep", "string", .string(" ")), .choice("stream", default: OutputStreamName.stdout)],
            doc: "Prints values separated by `sep` to standard output, or to standard error with stream=\"stderr\".",
            example: "print(\"auroc\", ev.auroc)"
        ) { a in
            let text =
                a.rest.map { v -> String in
                    switch v {
                    case .string(let s): return s
                    case _ where v.descriptor.block != nil: return Display.block(v).trimmingCharacters(in: .newlines)
                    default: return Display.repr(v)
                    }
                }.joined(separator: try a.string("sep")) + "\n"
            if try a.choice("stream", OutputStreamName.self) == .stderr {
                a.interpreter.sink.writeError(text)
            } else {
                a.interpreter.sink.write(text)
            }
            return .nil_
        },
        Builtin(
            "glue", topic: topic,
            [.required("name", "string", "a column name: letters, digits, _ . -"), .required("value", "number, bool or string")],
            doc: "Records a result of this run under `name` (as papermill's scrapbook `glue`): `ecgs notebook` writes the "
                + "recorded values beside the notebook (NAME.results.json) and `ecgs sweep` collects them with each run's parameters. "
                + "A one-element tensor is recorded as its number; recording a name again replaces its value.",
            example: "glue(\"test_auroc\", ev.auroc)"
        ) { a in
            let name = try a.string("name")
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "_.-".contains($0) }) else {
                throw Diagnostic(
                    "glue: name '\(name)' must be letters, digits, '_', '.' or '-' (it becomes a CSV column)", at: a.place("name"))
            }
            let value: Value
            switch a.value("value") {
            case .number, .bool, .string: value = a.value("value")
            case .tensor(let t) where t.count == 1: value = .number(Double(t.data[0]))
            case let v:
                throw Diagnostic(
                    "glue: '\(name)' is \(v.aTypeName); record a number, a bool or a string (e.g. ev.auroc)", at: a.place("value"))
            }
            if let i = a.interpreter.glued.firstIndex(where: { $0.name == name }) {
                a.interpreter.glued[i].value = value
            } else {
                a.interpreter.glued.append((name, value))
            }
            return .nil_
        },
        Builtin(
            "clear_output", topic: topic, [.optional("wait", "bool", .bool(false), "clear when the next output arrives")],
            doc: "Clears the cell's output so far (in Jupyter and notebooks; a terminal keeps its lines), as IPython.display.clear_output.",
            example: "clear_output(wait=true)"
        ) { a in
            a.interpreter.sink.clearOutput(wait: try a.bool("wait"))
            return .nil_
        },
        Builtin(
            "input", topic: topic, [.optional("prompt", "string", .string(""))],
            doc: "A line typed by the user (the terminal, or Jupyter's input box), without its newline.",
            example: "name = input(\"record? \")"
        ) { a in
            let prompt = try a.string("prompt")
            guard let line = a.interpreter.sink.readLine(prompt: prompt) else {
                throw EngineError(
                    "input", "no input is available here (a replayed notebook, or a Jupyter client that does not allow stdin)")
            }
            return .string(line)
        },
        Builtin(
            "help", topic: topic, [.optional("x", "function, value or topic", .nil_)],
            doc: "Help on a built-in, a value's fields, or a topic (help() lists topics).", example: "help(finetune)"
        ) { a in
            a.interpreter.sink.page(Help.text(for: a.value("x")))
            return .nil_
        },
        Builtin(
            "range", topic: topic, [.required("a", "integer"), .optional("b", "integer", .nil_), .optional("step", "integer", .number(1))],
            doc: "Integers a … b−1 (range(n) = 0 … n−1).", example: "for i in range(3) { print(i) }"
        ) { a in
            let x = try a.int("a")
            let step = try a.int("step")
            guard step != 0 else { throw EngineError("range", "step must not be zero") }
            if a.isNil("b") { return .range(0, x, 1) }
            return .range(x, try a.int("b"), step)
        },
        Builtin(
            "len", topic: topic, [.required("x", "list, string, dict, range, Tensor, Dataset or Table")],
            doc: "Number of items (first dimension of a tensor).", example: "len(ds.train)"
        ) { a in
            let x = a.value("x")
            guard let count = x.descriptor.count else { throw a.typeError("x", "a collection") }
            return .number(Double(count(x)))
        },
        Builtin("str", topic: topic, [.required("x", "anything")], doc: "The value as text.", example: "str(3.5)") { a in
            .string(Display.inline(a.value("x")))
        },
        Builtin(
            "int", topic: topic, [.required("x", "number, bool or numeric string")],
            doc: "Converts to an integer, truncating towards zero like Python's int().", example: "int(ARGS[0])"
        ) { a in
            let x = try numberValue(a, "int")
            guard x.isFinite, abs(x) < 9.0e15 else {
                throw Diagnostic("int: cannot convert \(formatNumber(x)) to an integer", at: a.place("x"))
            }
            return .number(x.rounded(.towardZero))
        },
        Builtin(
            "number", topic: topic, [.required("x", "number, bool or numeric string")],
            doc: "Converts to a number (like Python's float(): accepts \"1e-3\", \"nan\", \"inf\").", example: "number(\"1e-3\")"
        ) { a in
            .number(try numberValue(a, "number"))
        },
        Builtin("type", topic: topic, [.required("x", "anything")], doc: "The value's type name.", example: "type(ds)") { a in
            .string(a.value("x").typeName)
        },
        Builtin(
            "round", topic: topic, [.required("x", "number or Tensor"), .optional("digits", "integer", .number(0))],
            doc: "Rounds half away from zero to `digits` decimals (element-wise for a tensor).", example: "round(ev.auroc, 3)"
        ) { a in
            let p = pow(10.0, Double(try a.int("digits", min: 0, max: 15)))
            if case .tensor(let t) = a.value("x") {
                let r = t.clone()
                for i in 0..<r.count { r.data[i] = Float((Double(r.data[i]) * p).rounded() / p) }
                return .tensor(r)
            }
            return .number((try a.number("x") * p).rounded() / p)
        },
        Builtin(
            "sort", topic: topic,
            [
                .required("x", "list of numbers or of strings"), .optional("reverse", "bool", .bool(false)),
                .optional("key", "function of an item", .nil_, "sort by key(item), as Python's sorted(key=…)")
            ],
            doc: "A sorted copy of a list (stable; numbers or strings, or by `key`), as Python's sorted().",
            example: "sort([3, 1, 2], reverse=true)"
        ) { a in
            let items: [Value]
            switch a.value("x") {
            case .list(let l): items = l.items
            case .tuple(let t): items = t
            default: throw a.typeError("x", "a list")
            }
            let keys = a.isNil("key") ? items : try items.map { try a.interpreter.callBack(try a.function("key"), [$0], at: a.range) }
            for k in keys {
                switch (k, keys[0]) {
                case (.number, .number), (.string, .string): continue
                default:
                    throw EngineError(
                        "sort", "cannot order \(keys[0].aTypeName) and \(k.aTypeName); sort numbers or strings (or give key=)")
                }
            }
            func less(_ x: Value, _ y: Value) -> Bool {
                switch (x, y) {
                case (.number(let p), .number(let q)): return p < q
                case (.string(let p), .string(let q)): return p < q
                default: return false
                }
            }
            let reverse = try a.bool("reverse")
            // Stable in both directions (equal keys keep their order), as Python's sorted(reverse=True).
            let order = items.indices.sorted { i, j in
                let (x, y) = reverse ? (keys[j], keys[i]) : (keys[i], keys[j])
                return less(x, y) || (!less(y, x) && i < j)
            }
            return .list(order.map { items[$0] })
        },
        Builtin("keys", topic: topic, [.required("d", "dict")], doc: "The keys of a dict, in insertion order.", example: "keys({a: 1})") {
            a in
            guard case .dict(let d) = a.value("d") else { throw a.typeError("d", "a dict") }
            return .list(d.keys.map(Value.string))
        },
        Builtin(
            "load_table", topic: topic, [.required("path", "CSV file")], doc: "Reads a CSV file as a Table.",
            example: "t = load_table(\"results.csv\")"
        ) { a in
            .table(try Table.read(try a.path("path")))
        },
        Builtin(
            "save_table", topic: topic, [.required("table", "Table"), .required("path", "CSV file")],
            doc: "Writes a Table as CSV (atomically).", example: "save_table(t, \"results.csv\")"
        ) { a in
            guard case .table(let t) = a.value("table") else { throw a.typeError("table", "a Table") }
            try t.write(try a.path("path"))
            return .nil_
        },
        Builtin(
            "table", topic: topic, [.required("columns", "dict of equally long lists")],
            doc: "A Table from columns.", example: "table({variant: [\"a\", \"b\"], auroc: [0.8, 0.9]})"
        ) { a in
            guard case .dict(let d) = a.value("columns") else { throw a.typeError("columns", "a dict of lists") }
            let cols = try d.pairs.map { k, v -> (String, [Value]) in
                guard case .list(let l) = v else { throw EngineError("table", "column '\(k)' must be a list, got \(v.aTypeName)") }
                return (k, l.items)
            }
            let n = cols.first?.1.count ?? 0
            guard cols.allSatisfy({ $0.1.count == n }) else { throw EngineError("table", "columns must have equal lengths") }
            return .table(try Table(columns: cols.map(\.0), rows: (0..<n).map { i in cols.map { Convert.toCell($0.1[i]) } }))
        },
        Builtin(
            "time", topic: topic, [.required("f", "function without arguments")], doc: "Calls f() and returns the seconds it took.",
            example: "time(fn() { predict(m, ds.test) })"
        ) { a in
            let t0 = Date()
            _ = try a.interpreter.callBack(try a.function("f"), [], at: a.range)
            return .number(Date().timeIntervalSince(t0))
        }
    ]

    /// Python's float(): numbers as they are, bools as 0/1, strings parsed (with the place on failure).
    static func numberValue(_ a: Args, _ name: String) throws -> Double {
        switch a.value("x") {
        case .number(let x): return x
        case .bool(let b): return b ? 1 : 0
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces).lowercased()
            switch t {
            case "nan": return .nan
            case "inf", "+inf", "infinity": return .infinity
            case "-inf", "-infinity": return -.infinity
            default:
                guard let x = Double(t) else { throw Diagnostic("\(name): cannot convert \"\(s)\" to a number", at: a.place("x")) }
                return x
            }
        default: throw a.typeError("x", "a number, bool or numeric string")
        }
    }
}

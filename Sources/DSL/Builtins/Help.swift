import Engine

/// `help` text, generated from the built-in registry and the field tables, so it cannot drift.
public enum Help {
    public static func text(for v: Value) -> String {
        switch v {
        case .nil_:
            var out = "ECGScript help. Topics (help(\"topic\")):\n"
            for (t, bs) in Registry.topics {
                out += "  \(t.padding(toLength: 11, withPad: " ", startingAt: 0)) \(bs.map(\.name).joined(separator: ", "))\n"
            }
            out += "  recipes     default settings of baseline, post and linear_probe\n  system      BLAS kernel and threads\n"
            out +=
                "Values have fields: help(x) on any value lists them. REPL commands: :help :vars :time :history :save :run :reset :quit\n"
            return out
        case .builtin(let b): return builtin(b)
        case .string(let s): return topic(s)
        case .function(let c):
            return
                "fn \(c.name)(\(c.decl.params.map { $0.defaultValue == nil ? $0.name : "\($0.name)=…" }.joined(separator: ", "))) — "
                + "defined at line \(c.decl.range.line)\n"
        default:
            return "\(Display.repr(v)) — \(v.aTypeName)\n" + fields(v.descriptor)
        }
    }

    /// The documented fields of a type.
    static func fields(_ d: TypeDescriptor) -> String {
        let docs = d.documentedFields
        guard !docs.isEmpty else { return "" }
        return "fields:\n" + docs.map { "  .\($0.0.padding(toLength: 15, withPad: " ", startingAt: 0)) \($0.1)\n" }.joined()
    }

    /// Field names of a value, and its keys or columns (for completion after '.').
    public static func fieldNames(of v: Value) -> [String] { v.descriptor.memberNames(of: v) }

    static func builtin(_ b: Builtin) -> String {
        var out = "\(b.signature)\n  \(b.doc)\n"
        if !b.parameters.isEmpty {
            out += "parameters:\n"
            for p in b.parameters {
                let def = p.variadic ? " (any number)" : p.defaultValue.map { " = \(Display.repr($0))" } ?? " (required)"
                out += "  \(p.name): \(p.type)\(def)\(p.doc.isEmpty ? "" : " — \(p.doc)")\n"
            }
        }
        out += "example:\n  \(b.example)\n"
        return out
    }

    /// Whether `s` names a built-in or a help topic.
    public static func isTopic(_ s: String) -> Bool {
        Registry.byName[s] != nil || Registry.topics.contains { $0.0 == s } || s == "recipes" || s == "system"
    }

    static func topic(_ s: String) -> String {
        if let b = Registry.byName[s] { return builtin(b) }
        if let (_, bs) = Registry.topics.first(where: { $0.0 == s }) {
            return "\(s):\n" + bs.map { "  \($0.signature)\n      \($0.doc)\n" }.joined()
        }
        switch s {
        case "recipes":
            func show(_ name: String, _ r: RecipeSettings) -> String {
                "\(name):\n" + r.described.map { "  \($0.name) = \($0.value)" }.joined(separator: "\n") + "\n"
            }
            return show("baseline (ECGFounder template; epochs, batch, patience are ours)", .baseline)
                + show(
                    "post (preview LP then fine-tuning with stochastic depth; all values ours — the paper's exact settings are "
                        + "not published)",
                    .post)
                + show("linear_probe (ours)", .linearProbe)
        case "system":
            return "BLAS: \(BLAS.coreDescription)\nworkers: \(Parallel.workers)\n"
        default:
            let names = Registry.all.map(\.name) + Registry.topics.map(\.0) + ["recipes", "system"]
            let hint = didYouMean(s, among: names)
            return "no help topic '\(s)'\(hint); help() lists the topics\n"
        }
    }
}

import Engine

/// What front ends (the REPL's completion and `?name`, the notebook writers, a Jupyter kernel) ask
/// about source text and the session without running anything: no user code, no built-in is called.
extension Interpreter {
    /// Whether a text is ready to run (Jupyter's `is_complete`): `incomplete` when it is a valid prefix
    /// that needs more lines, `invalid` when no continuation can make it valid.
    public enum Completeness: String, Sendable { case complete, incomplete, invalid }

    public static func completeness(_ source: String) -> Completeness {
        do { _ = try Parser.parse(source); return .complete } catch let d as Diagnostic {
            return d.incomplete ? .incomplete : .invalid
        } catch { return .invalid }
    }

    /// Checks a source text for completeness without running it (the REPL's continuation test).
    public static func isIncomplete(_ source: String) -> Bool { completeness(source) == .incomplete }

    /// The value a dotted name path denotes (`ds`, `ds.train`, `run.model.summary`): the variable or
    /// built-in, then each field through its type's getter. Nil when the text is not such a path or a
    /// name is unknown. Calls nothing — `lookup(path: "print(\"x\")")` is nil and prints nothing.
    public func lookup(path: String) -> Value? {
        let parts = path.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, parts.allSatisfy(Self.isName), var v = globals.lookup(first) else { return nil }
        for field in parts.dropFirst() {
            guard let next = try? Members.get(v, field, at: SourceRange(line: 1, column: 1)) else { return nil }
            v = next
        }
        return v
    }

    /// Completion candidates for `word` (the text before the cursor back to a blank or bracket) on `line`:
    /// fields, keys and columns after a `.`, a call's keyword arguments inside its parentheses, visible
    /// names otherwise. (Paths inside strings are the front end's business.)
    public func completions(for word: String, line: String) -> [String] {
        if let dot = word.lastIndex(of: ".") {
            let object = String(word[..<dot]), prefix = String(word[word.index(after: dot)...])
            guard let v = lookup(path: object) else { return [] }
            return Set(v.descriptor.memberNames(of: v)).filter { $0.hasPrefix(prefix) }.sorted().map { object + "." + $0 }
        }
        var candidates = visibleNames
        if let open = line.lastIndex(of: "("), !line[open...].contains(")") { // keyword arguments of the call being typed
            let callee = line[..<open].split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }).last.map(
                String.init)
            if let callee, let f = lookup(path: callee)?.callable {
                candidates = f.parameters.filter { !$0.variadic }.map { $0.name + "=" } + candidates
            }
        }
        return candidates.filter { $0.hasPrefix(word) }.sorted()
    }

    /// The help text for what a REPL user typed after `?` or `:help`: a variable, built-in or field path,
    /// else a help topic. Runs nothing.
    public func help(for text: String) -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return Help.text(for: .nil_) }
        if let v = lookup(path: t) { return Help.text(for: v) }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy(Self.isName) else {
            return "help takes a name, a field path (ds.train) or a topic, and never runs code; '\(t)' is none of these\n"
        }
        // A path whose start is known but whose field is not: say which field, as member access would.
        if parts.count > 1, let base = lookup(path: parts.dropLast().joined(separator: ".")) {
            return Members.unknown(base, parts[parts.count - 1], at: SourceRange(line: 1, column: 1)).message + "\n"
        }
        return Help.text(for: .string(t))
    }

    static func isName(_ s: String) -> Bool {
        guard let f = s.first, f.isLetter || f == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}

import Foundation

/// The parameter grid of a sweep: `--grid NAME=v1,v2,...` options, each a notebook parameter (its
/// `# %% Parameters` cell) and its values. The runs are every combination, the last name varying fastest
/// (as itertools.product and scikit-learn's ParameterGrid order them). Values are `-p` values: numbers,
/// true/false and list literals stay as they are, anything else is a string; commas inside brackets,
/// braces or quotes do not split (`FRACTIONS=[1, 0.3],[0.1]` is two values).
struct SweepGrid: Equatable {
    var axes: [(name: String, values: [String])]

    static func == (a: SweepGrid, b: SweepGrid) -> Bool {
        a.axes.map(\.name) == b.axes.map(\.name) && a.axes.map(\.values) == b.axes.map(\.values)
    }

    init(axes: [(name: String, values: [String])]) { self.axes = axes }

    /// Parses `--grid` options; errors say which option and what is wrong.
    init(options: [String]) throws {
        axes = []
        for o in options {
            let parts = o.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let first = parts[0].first, first.isLetter || first == "_",
                parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
            else { throw NotebookError("--grid '\(o)': expected NAME=v1,v2,... with NAME a parameter of the notebook") }
            guard !axes.contains(where: { $0.name == parts[0] }) else { throw NotebookError("--grid \(parts[0]) is given twice") }
            let values = try Self.split(parts[1], option: o)
            guard !values.isEmpty else { throw NotebookError("--grid '\(o)': no values") }
            guard Set(values).count == values.count else { throw NotebookError("--grid '\(o)': a value is repeated") }
            axes.append((parts[0], values))
        }
        guard !axes.isEmpty else { throw NotebookError("give the parameters to sweep with --grid NAME=v1,v2,...") }
    }

    /// Splits on the commas outside brackets, braces and double quotes.
    static func split(_ text: String, option: String) throws -> [String] {
        var out: [String] = [], current = "", depth = 0, quoted = false, escaped = false
        for c in text {
            if quoted {
                current.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { quoted = false }
                continue
            }
            switch c {
            case "\"": quoted = true
            case "[", "{", "(": depth += 1
            case "]", "}", ")": depth -= 1
            case "," where depth == 0:
                out.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            default: break
            }
            guard depth >= 0 else { throw NotebookError("--grid '\(option)': unbalanced brackets") }
            current.append(c)
        }
        guard depth == 0, !quoted else { throw NotebookError("--grid '\(option)': unbalanced brackets or quotes") }
        out.append(current.trimmingCharacters(in: .whitespaces))
        if out.contains(where: \.isEmpty) { throw NotebookError("--grid '\(option)': an empty value") }
        // A quoted value is the string inside the quotes.
        return out.map { $0.count >= 2 && $0.hasPrefix("\"") && $0.hasSuffix("\"") ? String($0.dropFirst().dropLast()) : $0 }
    }

    /// Every combination, in order: the parameters of run k.
    var runs: [[(name: String, value: String)]] {
        axes.reduce([[]]) { partial, axis in partial.flatMap { prefix in axis.values.map { prefix + [(axis.name, $0)] } } }
    }

    var count: Int { axes.reduce(1) { $0 * $1.values.count } }
}

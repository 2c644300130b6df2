/// A cell of a percent-format script (jupytext's `# %%` convention).
public struct Cell {
    public enum Kind { case code, markdown }
    public var kind: Kind
    public var title: String
    /// Source (markdown without the leading `# `).
    public var source: String
    /// Line number of the first source line in the script.
    public var line: Int

    /// Splits a script: `# %%` starts a code cell (rest of the line is its title), `# %% [markdown]` a
    /// markdown cell; text before the first marker is a code cell if it has any code.
    public static func split(_ script: String) -> [Cell] {
        var cells: [Cell] = []
        var cur = Cell(kind: .code, title: "", source: "", line: 1)
        var lines: [String] = []
        func flush() {
            cur.source = lines.joined(separator: "\n")
            let blank = cur.source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            if !blank { cells.append(cur) }
            lines = []
        }
        // "\r\n" is one Character in Swift: split on any newline so Windows line ends split cells too.
        for (i, raw) in script.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = String(raw).replacingOccurrences(of: "\r", with: "")
            if line.hasPrefix("# %%") {
                flush()
                let rest = line.dropFirst(4).trimmingCharacters(in: .whitespaces)
                let md = rest.hasPrefix("[markdown]") || rest.hasPrefix("[md]")
                cur = Cell(kind: md ? .markdown : .code, title: md ? "" : rest, source: "", line: i + 2)
                continue
            }
            if cur.kind == .markdown {
                lines.append(line.hasPrefix("# ") ? String(line.dropFirst(2)) : line == "#" ? "" : line)
            } else {
                if lines.isEmpty && line.trimmingCharacters(in: .whitespaces).isEmpty && cur.source.isEmpty { cur.line = i + 2; continue }
                lines.append(line)
            }
        }
        flush()
        // Trim trailing blank lines of code cells.
        return cells.map { c in
            var c = c
            while c.source.hasSuffix("\n") { c.source.removeLast() }
            return c
        }
    }
}

import Foundation

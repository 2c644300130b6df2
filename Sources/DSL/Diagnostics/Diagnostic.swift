import Foundation

/// A position in source text: 1-based line and column, and the byte offset range.
public struct SourceRange: Equatable, Sendable {
    public var line: Int
    public var column: Int
    public var length: Int
    public init(line: Int, column: Int, length: Int = 1) {
        self.line = line
        self.column = column
        self.length = max(1, length)
    }
}

/// An error about ECGScript source, as data: rendered by `Diagnostic.render`. Front ends decide what to
/// do from its `kind`, never from its text.
public struct Diagnostic: Error, Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// The input is wrong.
        case error
        /// The input ended before the construct was complete (the REPL reads a continuation line, a kernel
        /// answers `is_complete` with "incomplete").
        case incomplete
        /// A stop request (Ctrl-C, a kernel's interrupt) ended the statement.
        case interrupted
        /// The time limit of a notebook cell ended it.
        case timeout
    }

    public var message: String
    public var range: SourceRange
    /// Extra lines such as "to close '(' opened at 3:5".
    public var notes: [String]
    /// Call sites, innermost first, when the error happened inside functions.
    public var trace: [(String, SourceRange)]
    public var kind: Kind

    public init(_ message: String, at range: SourceRange, notes: [String] = [], kind: Kind = .error) {
        self.message = message
        self.range = range
        self.notes = notes
        self.trace = []
        self.kind = kind
    }

    /// True when the input ended before the construct was complete (the REPL asks for more).
    public var incomplete: Bool { kind == .incomplete }

    public static func == (a: Diagnostic, b: Diagnostic) -> Bool {
        a.message == b.message && a.range == b.range && a.notes == b.notes && a.kind == b.kind
    }

    /// The parts of a rendered diagnostic a front end may style (the terminal colours them, a notebook
    /// leaves them plain): the DSL knows no terminal.
    public enum Part: Sendable { case location, label, message, caret }

    /// `file:line:col: error: message`, the source line, a caret under the range, notes and trace; `style`
    /// wraps each styled part (identity by default).
    public func render(file: String, source: String, style: (String, Part) -> String = { s, _ in s }) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let label = "error:"
        var out = "\(style("\(file):\(range.line):\(range.column):", .location)) \(style(label, .label)) \(style(message, .message))\n"
        if range.line >= 1 && range.line <= lines.count {
            let text = String(lines[range.line - 1]).replacingOccurrences(of: "\t", with: " ")
            out += "  \(text)\n"
            let caretLen = max(1, min(range.length, max(1, text.count - range.column + 1)))
            out +=
                "  " + String(repeating: " ", count: max(0, range.column - 1))
                + style("^" + String(repeating: "~", count: caretLen - 1), .caret) + "\n"
        }
        for n in notes { out += "  note: \(n)\n" }
        for (name, r) in trace { out += "  in \(name) called at \(file):\(r.line):\(r.column)\n" }
        return out
    }
}

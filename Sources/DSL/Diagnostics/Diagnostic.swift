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

/// An error (or note) about ECGScript source, as data: rendered by `Diagnostic.render`.
public struct Diagnostic: Error, Equatable, Sendable {
    public var message: String
    public var range: SourceRange
    /// Extra lines such as "to close '(' opened at 3:5".
    public var notes: [String]
    /// Call sites, innermost first, when the error happened inside functions.
    public var trace: [(String, SourceRange)]
    /// True when the input ended before the construct was complete (the REPL asks for more).
    public var incomplete: Bool

    public init(_ message: String, at range: SourceRange, notes: [String] = [], incomplete: Bool = false) {
        self.message = message
        self.range = range
        self.notes = notes
        self.trace = []
        self.incomplete = incomplete
    }

    public static func == (a: Diagnostic, b: Diagnostic) -> Bool {
        a.message == b.message && a.range == b.range && a.notes == b.notes && a.incomplete == b.incomplete
    }

    /// `file:line:col: error: message`, the source line, a caret under the range, notes and trace.
    public func render(file: String, source: String, color: Bool = false) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let red = color ? "\u{1B}[1;31m" : "", bold = color ? "\u{1B}[1m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = "\(bold)\(file):\(range.line):\(range.column):\(reset) \(red)error:\(reset) \(bold)\(message)\(reset)\n"
        if range.line >= 1 && range.line <= lines.count {
            let text = String(lines[range.line - 1]).replacingOccurrences(of: "\t", with: " ")
            out += "  \(text)\n"
            let caretLen = max(1, min(range.length, max(1, text.count - range.column + 1)))
            out += "  " + String(repeating: " ", count: max(0, range.column - 1)) + red + "^" + String(repeating: "~", count: caretLen - 1) + reset + "\n"
        }
        for n in notes { out += "  note: \(n)\n" }
        for (name, r) in trace { out += "  in \(name) called at \(file):\(r.line):\(r.column)\n" }
        return out
    }
}

/// Edit distance for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let substitution: Int = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            let deletion: Int = prev[j] + 1, insertion: Int = cur[j - 1] + 1
            cur[j] = Swift.min(deletion, insertion, substitution)
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}

/// The closest candidate within a small distance, for "did you mean 'x'?".
public func suggestion(for name: String, among candidates: [String]) -> String? {
    let lowered = name.lowercased()
    // A candidate made of the initials of a snake_case name ("learning_rate" → "lr") is a strong match.
    let parts = lowered.split(separator: "_")
    if parts.count > 1, let c = candidates.first(where: { $0.lowercased() == String(parts.compactMap(\.first)) }) { return c }
    let limit = name.count <= 4 ? 1 : (name.count + 1) / 2
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(lowered, c.lowercased())
        if let b = best, d > b.1 || (d == b.1 && c >= b.0) { continue }
        best = (c, d)
    }
    guard let (c, d) = best, d <= limit, c != name else { return nil }
    return c
}

/// Turns ECGScript source into tokens. Newlines end statements except inside `(`/`[` and after a
/// token that cannot end an expression (an operator, `,`, an opening bracket).
public struct Lexer {
    let chars: [Character]
    var i = 0
    var line: Int
    var col: Int
    var depth = 0 // ( and [ nesting
    var opens: [(Character, SourceRange)] = []
    var tokens: [Token] = []
    /// Highlighting: comments become tokens, and a malformed piece becomes an `error` span instead of
    /// ending the scan (see `Lexer.highlight`).
    var spans: [SyntaxSpan]?

    init(_ source: String, line: Int = 1, column: Int = 1) {
        chars = Array(source)
        self.line = line
        self.col = column
    }

    static let twoChar: [String: Op] = Dictionary(
        uniqueKeysWithValues: Op.allCases.filter { $0.rawValue.count == 2 }.map { ($0.rawValue, $0) })
    static let single: [Character: Op] = Dictionary(
        uniqueKeysWithValues: Op.allCases.filter { $0.rawValue.count == 1 }.map { (Character($0.rawValue), $0) })

    mutating func advance() -> Character {
        let c = chars[i]
        i += 1
        if c == "\n" { line += 1; col = 1 } else { col += 1 }
        return c
    }

    func peek(_ k: Int = 0) -> Character? { i + k < chars.count ? chars[i + k] : nil }

    mutating func add(_ kind: TokenKind, _ r: SourceRange) { tokens.append(Token(kind: kind, range: r)) }

    /// The source as highlighting spans (keywords, names, calls, numbers, strings, comments, operators,
    /// and errors for what does not lex), covering every non-blank character. Never throws, runs nothing:
    /// the notebook writers and a Jupyter kernel colour code with it.
    public static func highlight(_ source: String) -> [SyntaxSpan] {
        var lx = Lexer(source)
        lx.spans = []
        lx.scan()
        return lx.spans ?? []
    }

    /// The highlighting scan: `run`'s token loop, one token at a time, recording spans.
    mutating func scan() {
        while i < chars.count {
            let start = i, before = tokens.count
            if chars[i] == "#" {
                while let d = peek(), d != "\n" { _ = advance() }
                spans?.append(SyntaxSpan(kind: .comment, start: start, end: i))
                continue
            }
            do {
                try step()
            } catch {
                if i == start { _ = advance() }
                while let d = peek(), d != "\n", d != " " { _ = advance() }
                spans?.append(SyntaxSpan(kind: .error, start: start, end: i))
                continue
            }
            guard tokens.count > before, let t = tokens.last else { continue }
            let kind: SyntaxSpan.Kind
            switch t.kind {
            case .number: kind = .number
            case .string: kind = .string
            case .keyword: kind = .keyword
            case .identifier: kind = peekPastBlanks() == "(" ? .call : .name
            case .op: kind = .op
            case .newline, .eof: continue
            }
            spans?.append(SyntaxSpan(kind: kind, start: start, end: i))
        }
    }

    func peekPastBlanks() -> Character? {
        var k = i
        while k < chars.count, chars[k] == " " || chars[k] == "\t" { k += 1 }
        return k < chars.count ? chars[k] : nil
    }

    var lastContinues: Bool {
        guard let last = tokens.last else { return true }
        switch last.kind {
        case .op(let o): return o.continuesLine
        case .keyword(let k): return k == .and || k == .or || k == .not || k == .in
        case .newline: return true
        default: return false
        }
    }

    static func tokenize(_ source: String, line: Int = 1, column: Int = 1) throws -> [Token] {
        var lx = Lexer(source, line: line, column: column)
        try lx.run()
        return lx.tokens
    }

    /// Reads the next token (or skips a comment, a blank or a newline that does not end a statement).
    mutating func step() throws {
        guard let c = peek() else { return }
        let start = SourceRange(line: line, column: col)
        if c == "#" { while let d = peek(), d != "\n" { _ = advance() }; return }
        if c == "\n" || c == "\r\n" {
            _ = advance()
            if depth == 0 && !lastContinues { add(.newline, start) }
            return
        }
        if c == " " || c == "\t" || c == "\r" { _ = advance(); return }
        if c.isNumber { try number(start); return }
        if c.isLetter || c == "_" {
            var s = ""
            while let d = peek(), d.isLetter || d.isNumber || d == "_" { s.append(advance()) }
            add(
                Keyword(rawValue: s).map(TokenKind.keyword) ?? .identifier(s),
                SourceRange(line: start.line, column: start.column, length: s.count))
            return
        }
        if c == "\"" { try string(start); return }
        if let n = peek(1), let op = Self.twoChar[String([c, n])] {
            _ = advance(); _ = advance()
            add(.op(op), SourceRange(line: start.line, column: start.column, length: 2))
            return
        }
        if let op = Self.single[c] {
            _ = advance()
            switch c {
            case "(", "[": depth += 1; opens.append((c, start))
            case "{": opens.append((c, start))
            case ")", "]", "}":
                let want: Character = c == ")" ? "(" : c == "]" ? "[" : "{"
                guard let (o, _) = opens.last, o == want else {
                    if let (o, r) = opens.last {
                        throw Diagnostic(
                            "unexpected '\(c)'", at: start,
                            notes: ["to close '\(o)' opened at \(r.line):\(r.column), write '\(Self.closer(o))'"])
                    }
                    throw Diagnostic("unexpected '\(c)' with nothing to close", at: start)
                }
                opens.removeLast()
                if c != "}" { depth -= 1 }
            default: break
            }
            add(.op(op), start)
            return
        }
        if c == "!" { throw Diagnostic("unexpected '!' (use 'not' for negation, '!=' for inequality)", at: start) }
        throw Diagnostic("unexpected character '\(c)'", at: start)
    }

    mutating func run() throws {
        while peek() != nil { try step() }
        if let (o, r) = opens.last {
            throw Diagnostic(
                "'\(o)' opened at \(r.line):\(r.column) is not closed", at: SourceRange(line: line, column: col),
                notes: ["to close '\(o)' opened at \(r.line):\(r.column)"], kind: .incomplete)
        }
        add(.newline, SourceRange(line: line, column: col))
        add(.eof, SourceRange(line: line, column: col))
    }

    static func closer(_ c: Character) -> Character { c == "(" ? ")" : c == "[" ? "]" : "}" }

    mutating func number(_ start: SourceRange) throws {
        var s = ""
        func digits() { while let d = peek(), d.isNumber || d == "_" { let x = advance(); if x != "_" { s.append(x) } } }
        digits()
        if peek() == ".", let n = peek(1), n.isNumber { s.append(advance()); digits() }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            if let d = sign, d.isNumber || ((d == "+" || d == "-") && (peek(2)?.isNumber ?? false)) {
                s.append(advance())
                if sign == "+" || sign == "-" { s.append(advance()) }
                digits()
            }
        }
        if let d = peek(), d.isLetter || d == "_" {
            throw Diagnostic("invalid number '\(s)\(d)…'", at: start)
        }
        guard let v = Double(s) else { throw Diagnostic("invalid number '\(s)'", at: start) }
        add(.number(v), SourceRange(line: start.line, column: start.column, length: s.count))
    }

    mutating func string(_ start: SourceRange) throws {
        _ = advance()
        var parts: [StringPart] = []
        var text = ""
        while true {
            guard let c = peek() else {
                throw Diagnostic("unterminated string", at: start, notes: ["the string starts here; close it with '\"'"], kind: .incomplete)
            }
            if c == "\n" { throw Diagnostic("unterminated string (strings end on the line they start)", at: start) }
            _ = advance()
            if c == "\"" { break }
            if c == "\\" {
                guard let e = peek() else { continue }
                let escPos = SourceRange(line: line, column: col - 1, length: 2)
                _ = advance()
                switch e {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\"": text.append("\"")
                case "\\": text.append("\\")
                case "(":
                    if !text.isEmpty { parts.append(.text(text)); text = "" }
                    let codeLine = line, codeCol = col
                    var code = "", level = 1
                    var inString = false
                    while true {
                        guard let d = peek(), d != "\n" else {
                            throw Diagnostic("unterminated interpolation '\\(' in string", at: escPos)
                        }
                        _ = advance()
                        if d == "\"" { inString.toggle() }
                        if !inString && d == "(" { level += 1 }
                        if !inString && d == ")" { level -= 1; if level == 0 { break } }
                        code.append(d)
                    }
                    parts.append(.code(code, line: codeLine, column: codeCol))
                default:
                    throw Diagnostic("unknown escape '\\\(e)' (use \\n, \\t, \\\", \\\\ or \\( … ))", at: escPos)
                }
                continue
            }
            text.append(c)
        }
        if !text.isEmpty || parts.isEmpty { parts.append(.text(text)) }
        add(.string(parts), SourceRange(line: start.line, column: start.column, length: max(2, col - start.column)))
    }
}

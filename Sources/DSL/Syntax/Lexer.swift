/// Turns ECGScript source into tokens. Newlines end statements except inside `(`/`[` and after a
/// token that cannot end an expression (an operator, `,`, an opening bracket).
struct Lexer {
    let chars: [Character]
    var i = 0
    var line: Int
    var col: Int
    var depth = 0          // ( and [ nesting
    var opens: [(Character, SourceRange)] = []
    var tokens: [Token] = []

    init(_ source: String, line: Int = 1, column: Int = 1) {
        chars = Array(source)
        self.line = line
        self.col = column
    }

    static let continuing: Set<String> = ["+", "-", "*", "/", "%", "^", "@", "==", "!=", "<", "<=", ">", ">=", "=", "|>", ",",
                                          "(", "[", "{", ".", ":", "+=", "-=", "*=", "/="]
    static let twoChar: Set<String> = ["==", "!=", "<=", ">=", "|>", "+=", "-=", "*=", "/="]
    static let single: Set<Character> = ["+", "-", "*", "/", "%", "^", "@", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ":", ";", "."]

    mutating func advance() -> Character {
        let c = chars[i]
        i += 1
        if c == "\n" { line += 1; col = 1 } else { col += 1 }
        return c
    }

    func peek(_ k: Int = 0) -> Character? { i + k < chars.count ? chars[i + k] : nil }

    mutating func add(_ kind: TokenKind, _ r: SourceRange) { tokens.append(Token(kind: kind, range: r)) }

    var lastContinues: Bool {
        guard let last = tokens.last else { return true }
        switch last.kind {
        case .op(let o): return Self.continuing.contains(o)
        case .keyword(let k): return k == "and" || k == "or" || k == "not" || k == "in"
        case .newline: return true
        default: return false
        }
    }

    static func tokenize(_ source: String, line: Int = 1, column: Int = 1) throws -> [Token] {
        var lx = Lexer(source, line: line, column: column)
        try lx.run()
        return lx.tokens
    }

    mutating func run() throws {
        while let c = peek() {
            let start = SourceRange(line: line, column: col)
            if c == "#" { while let d = peek(), d != "\n" { _ = advance() }; continue }
            if c == "\n" || c == "\r\n" {
                _ = advance()
                if depth == 0 && !lastContinues { add(.newline, start) }
                continue
            }
            if c == " " || c == "\t" || c == "\r" { _ = advance(); continue }
            if c.isNumber { try number(start); continue }
            if c.isLetter || c == "_" {
                var s = ""
                while let d = peek(), d.isLetter || d.isNumber || d == "_" { s.append(advance()) }
                add(keywords.contains(s) ? .keyword(s) : .identifier(s), SourceRange(line: start.line, column: start.column, length: s.count))
                continue
            }
            if c == "\"" { try string(start); continue }
            if let n = peek(1), Self.twoChar.contains(String([c, n])) {
                _ = advance(); _ = advance()
                add(.op(String([c, n])), SourceRange(line: start.line, column: start.column, length: 2))
                continue
            }
            if Self.single.contains(c) {
                _ = advance()
                switch c {
                case "(", "[": depth += 1; opens.append((c, start))
                case "{": opens.append((c, start))
                case ")", "]", "}":
                    let want: Character = c == ")" ? "(" : c == "]" ? "[" : "{"
                    guard let (o, _) = opens.last, o == want else {
                        if let (o, r) = opens.last {
                            throw Diagnostic("unexpected '\(c)'", at: start, notes: ["to close '\(o)' opened at \(r.line):\(r.column), write '\(Self.closer(o))'"])
                        }
                        throw Diagnostic("unexpected '\(c)' with nothing to close", at: start)
                    }
                    opens.removeLast()
                    if c != "}" { depth -= 1 }
                default: break
                }
                if c == ";" { add(.op(";"), start); continue }
                add(.op(String(c)), start)
                continue
            }
            if c == "!" { throw Diagnostic("unexpected '!' (use 'not' for negation, '!=' for inequality)", at: start) }
            throw Diagnostic("unexpected character '\(c)'", at: start)
        }
        if let (o, r) = opens.last {
            throw Diagnostic("'\(o)' opened at \(r.line):\(r.column) is not closed", at: SourceRange(line: line, column: col),
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

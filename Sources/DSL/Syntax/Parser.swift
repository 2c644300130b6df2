/// Recursive-descent parser for ECGScript. Errors are `Diagnostic`s; one that happens because the
/// input ended early is marked `incomplete` (the REPL then reads a continuation line).
struct Parser {
    var tokens: [Token]
    var p = 0
    var nesting = 0
    static let maxNesting = 200

    init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole program (a cell, a REPL input, a script).
    static func parse(_ source: String, line: Int = 1, column: Int = 1) throws -> [Stmt] {
        var parser = Parser(tokens: try Lexer.tokenize(source, line: line, column: column))
        return try parser.program()
    }

    var tok: Token { tokens[p] }
    var atEnd: Bool { if case .eof = tok.kind { return true }; return false }

    /// Whether `p` is at the input's trailing newline/eof (so an error here means "needs more input").
    var atInputEnd: Bool {
        if case .eof = tok.kind { return true }
        if case .newline = tok.kind, p + 1 < tokens.count, case .eof = tokens[p + 1].kind { return true }
        return false
    }

    func error(_ message: String, at r: SourceRange? = nil, notes: [String] = []) -> Diagnostic {
        Diagnostic(message, at: r ?? tok.range, notes: notes, kind: r == nil && atInputEnd ? .incomplete : .error)
    }

    func isOp(_ o: Op) -> Bool { if case .op(let x) = tok.kind { return x == o }; return false }
    func isKeyword(_ k: Keyword) -> Bool { if case .keyword(let x) = tok.kind { return x == k }; return false }
    var isNewline: Bool { if case .newline = tok.kind { return true }; return false }

    mutating func expectOp(_ o: Op, _ context: String) throws -> SourceRange {
        guard isOp(o) else { throw error("expected '\(o.rawValue)' \(context), found \(describe(tok))") }
        let r = tok.range
        p += 1
        return r
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .number(let v): return "number \(formatNumber(v))"
        case .string: return "a string"
        case .identifier(let s): return "'\(s)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .op(let o): return "'\(o.rawValue)'"
        case .newline: return "end of line"
        case .eof: return "end of input"
        }
    }

    mutating func skipNewlines() { while isNewline || isOp(.semicolon) { p += 1 } }

    mutating func program() throws -> [Stmt] {
        var out: [Stmt] = []
        skipNewlines()
        while !atEnd {
            out.append(try statement())
            try endOfStatement(&out)
        }
        return out
    }

    /// After a statement: a newline, `;` (which hides an expression's value), `}` or the end.
    mutating func endOfStatement(_ out: inout [Stmt]) throws {
        if isOp(.semicolon) {
            if case .expr(let e, _)? = out.last { out[out.count - 1] = .expr(e, hidden: true) }
            skipNewlines()
            return
        }
        if isNewline { skipNewlines(); return }
        if isOp(.rightBrace) || atEnd { return }
        throw error("expected end of statement, found \(describe(tok))")
    }

    mutating func block(_ context: String) throws -> [Stmt] {
        let open = tok.range
        guard isOp(.leftBrace) else { throw error("expected '{' to start the \(context) body, found \(describe(tok))") }
        p += 1
        var out: [Stmt] = []
        skipNewlines()
        while !isOp(.rightBrace) {
            if atEnd {
                throw Diagnostic(
                    "the \(context) body opened at \(open.line):\(open.column) is not closed", at: tok.range,
                    notes: ["to close '{' opened at \(open.line):\(open.column)"], kind: .incomplete)
            }
            out.append(try statement())
            try endOfStatement(&out)
        }
        p += 1
        return out
    }

    mutating func statement() throws -> Stmt {
        let start = tok.range
        if case .keyword(let k) = tok.kind {
            switch k {
            case .if: return try ifStatement()
            case .for:
                p += 1
                guard case .identifier(let v) = tok.kind else {
                    throw error("expected a loop variable after 'for', found \(describe(tok))")
                }
                p += 1
                guard isKeyword(.in) else { throw error("expected 'in' after 'for \(v)', found \(describe(tok))") }
                p += 1
                let seq = try expression()
                return .forStmt(v, seq, try block("for"), start)
            case .while:
                p += 1
                let c = try expression()
                return .whileStmt(c, try block("while"), start)
            case .break: p += 1; return .breakStmt(start)
            case .continue: p += 1; return .continueStmt(start)
            case .return:
                p += 1
                if isNewline || isOp(.semicolon) || isOp(.rightBrace) || atEnd { return .returnStmt(nil, start) }
                return .returnStmt(try expression(), start)
            case .fn:
                if p + 1 < tokens.count, case .identifier = tokens[p + 1].kind { return .fnDecl(try function()) }
            default: break
            }
        }
        var e = try expression()
        if isOp(.comma) { e = try tupleRest(e) } // `len(a), len(b)` shows both, as Python does
        if case .op(let o) = tok.kind, o == .assign || o.compound != nil {
            let compound = o.compound
            let r = tok.range
            switch e {
            case .name, .member, .index: break
            default: throw error("cannot assign to this expression (only to a name, a field or an element)", at: e.range)
            }
            p += 1
            var value = try expression()
            if isOp(.comma) { value = try tupleRest(value) }
            return .assign(e, compound, value, r)
        }
        return .expr(e, hidden: false)
    }

    mutating func ifStatement() throws -> Stmt {
        let (c, body, other, r) = try ifParts()
        return .ifStmt(c, body, other, r)
    }

    mutating func ifParts() throws -> (Expr, [Stmt], [Stmt]?, SourceRange) {
        let start = tok.range
        p += 1 // 'if'
        let c = try expression()
        let body = try block("if")
        // `else` may follow on the next line.
        var q = p
        while q < tokens.count, case .newline = tokens[q].kind { q += 1 }
        guard q < tokens.count, case .keyword(.else) = tokens[q].kind else { return (c, body, nil, start) }
        p = q + 1
        if isKeyword(.if) { return (c, body, [try ifStatement()], start) }
        return (c, body, try block("else"), start)
    }

    mutating func function() throws -> FunctionDecl {
        let start = tok.range
        p += 1 // 'fn'
        var name: String?
        if case .identifier(let n) = tok.kind { name = n; p += 1 }
        _ = try expectOp(.leftParen, "to start the parameter list")
        var params: [(String, Expr?)] = []
        while !isOp(.rightParen) {
            guard case .identifier(let pn) = tok.kind else { throw error("expected a parameter name, found \(describe(tok))") }
            if params.contains(where: { $0.0 == pn }) { throw error("parameter '\(pn)' is declared twice") }
            p += 1
            var def: Expr?
            if isOp(.assign) {
                p += 1; def = try expression()
            } else if params.contains(where: { $0.1 != nil }) {
                throw error("parameter '\(pn)' without a default follows one with a default", at: tokens[p - 1].range)
            }
            params.append((pn, def))
            if isOp(.comma) {
                p += 1
            } else if !isOp(.rightParen) {
                throw error("expected ',' or ')' in the parameter list, found \(describe(tok))")
            }
        }
        p += 1
        return FunctionDecl(name: name, params: params, body: try block("function"), range: start)
    }

    // MARK: expressions, lowest precedence first

    mutating func expression() throws -> Expr {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maxNesting else { throw error("expression nested too deeply (more than \(Self.maxNesting) levels)") }
        return try pipe()
    }

    mutating func pipe() throws -> Expr {
        var lhs = try orExpr()
        while isOp(.pipe) {
            let r = tok.range
            p += 1
            let rhs = try orExpr()
            switch rhs {
            case .call(let f, let args, let cr): lhs = .call(f, [Argument(label: nil, value: lhs, range: lhs.range)] + args, cr)
            default: lhs = .call(rhs, [Argument(label: nil, value: lhs, range: lhs.range)], r)
            }
        }
        return lhs
    }

    mutating func orExpr() throws -> Expr {
        var lhs = try andExpr()
        while isKeyword(.or) { let r = tok.range; p += 1; lhs = .or(lhs, try andExpr(), r) }
        return lhs
    }

    mutating func andExpr() throws -> Expr {
        var lhs = try notExpr()
        while isKeyword(.and) { let r = tok.range; p += 1; lhs = .and(lhs, try notExpr(), r) }
        return lhs
    }

    mutating func notExpr() throws -> Expr {
        if isKeyword(.not) {
            let r = tok.range
            p += 1
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= Self.maxNesting else { throw error("expression nested too deeply") }
            return .unary(.not, try notExpr(), r)
        }
        return try comparison()
    }

    mutating func binaryLevel(_ ops: Set<BinaryOperator>, _ next: (inout Parser) throws -> Expr) throws -> Expr {
        var lhs = try next(&self)
        while case .op(let t) = tok.kind, let o = t.binary, ops.contains(o) {
            let r = tok.range
            p += 1
            lhs = .binary(o, lhs, try next(&self), r)
        }
        return lhs
    }

    /// The rest of `first, b, c` (statement level, no brackets).
    mutating func tupleRest(_ first: Expr) throws -> Expr {
        var items = [first]
        while isOp(.comma) {
            p += 1
            items.append(try expression())
        }
        return .tuple(items, first.range)
    }

    /// `[element for name in sequence]` or `[… if condition]`, after the element (at `for`).
    mutating func comprehension(_ element: Expr, _ open: SourceRange) throws -> Expr {
        p += 1
        guard case .identifier(let name) = tok.kind else { throw error("expected a loop variable after 'for', found \(describe(tok))") }
        p += 1
        guard isKeyword(.in) else { throw error("expected 'in' after 'for \(name)', found \(describe(tok))") }
        p += 1
        let sequence = try expression()
        var condition: Expr?
        if isKeyword(.if) {
            p += 1
            condition = try expression()
        }
        _ = try expectOp(.rightBracket, "to close '[' opened at \(open.line):\(open.column)")
        return .comprehension(element, name, sequence, condition, open)
    }

    mutating func comparison() throws -> Expr {
        try binaryLevel([.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual]) { try $0.additive() }
    }
    mutating func additive() throws -> Expr { try binaryLevel([.add, .subtract]) { try $0.multiplicative() } }
    mutating func multiplicative() throws -> Expr { try binaryLevel([.multiply, .divide, .modulo]) { try $0.matmul() } }
    mutating func matmul() throws -> Expr { try binaryLevel([.matmul]) { try $0.unary() } }

    mutating func unary() throws -> Expr {
        if isOp(.minus) {
            let r = tok.range
            p += 1
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= Self.maxNesting else { throw error("expression nested too deeply") }
            return .unary(.negate, try unary(), r)
        }
        return try power()
    }

    mutating func power() throws -> Expr {
        let base = try postfix()
        if isOp(.caret) {
            let r = tok.range
            p += 1
            return .binary(.power, base, try unary(), r) // right-associative, binds tighter than unary minus on its left
        }
        return base
    }

    mutating func postfix() throws -> Expr {
        var e = try primary()
        while true {
            if isOp(.leftParen) {
                let r = tok.range
                p += 1
                var args: [Argument] = []
                while !isOp(.rightParen) {
                    let ar = tok.range
                    if case .identifier(let label) = tok.kind, p + 1 < tokens.count, case .op(.assign) = tokens[p + 1].kind {
                        p += 2
                        if args.contains(where: { $0.label == label }) { throw error("argument '\(label)' is given twice", at: ar) }
                        args.append(Argument(label: label, value: try expression(), range: ar))
                    } else {
                        if args.contains(where: { $0.label != nil }) { throw error("positional argument after keyword arguments", at: ar) }
                        args.append(Argument(label: nil, value: try expression(), range: ar))
                    }
                    if isOp(.comma) {
                        p += 1
                    } else if !isOp(.rightParen) {
                        throw error("expected ',' or ')' in the argument list, found \(describe(tok))")
                    }
                }
                let close = tokens[p].range
                p += 1
                e = .call(e, args, Self.span(from: e.range, to: close, fallback: r))
            } else if isOp(.leftBracket) {
                let r = tok.range
                p += 1
                var items: [IndexItem] = []
                while !isOp(.rightBracket) {
                    var lo: Expr?
                    if !isOp(.colon) { lo = try expression() }
                    if isOp(.colon) {
                        p += 1
                        var hi: Expr?
                        if !isOp(.comma) && !isOp(.rightBracket) { hi = try expression() }
                        items.append(.slice(lo, hi))
                    } else if let lo {
                        items.append(.single(lo))
                    }
                    if isOp(.comma) {
                        p += 1
                    } else if !isOp(.rightBracket) {
                        throw error("expected ',' or ']' in the index, found \(describe(tok))")
                    }
                }
                p += 1
                if items.isEmpty { throw error("empty index '[]'", at: r) }
                e = .index(e, items, r)
            } else if isOp(.dot) {
                p += 1
                guard case .identifier(let f) = tok.kind else { throw error("expected a field name after '.', found \(describe(tok))") }
                let r = tok.range
                p += 1
                e = .member(e, f, r)
            } else {
                return e
            }
        }
    }

    mutating func primary() throws -> Expr {
        let t = tok
        switch t.kind {
        case .number(let v): p += 1; return .number(v, t.range)
        case .string(let parts):
            p += 1
            var out: [InterpolatedPart] = []
            for part in parts {
                switch part {
                case .text(let s): out.append(.text(s))
                case .code(let code, let line, let column):
                    var sub = Parser(tokens: try Lexer.tokenize(code, line: line, column: column))
                    sub.skipNewlines()
                    if sub.atEnd { throw Diagnostic("empty interpolation '\\()'", at: t.range) }
                    let e = try sub.expression()
                    sub.skipNewlines()
                    if !sub.atEnd { throw sub.error("unexpected \(sub.describe(sub.tok)) in interpolation") }
                    out.append(.expr(e))
                }
            }
            return .string(out, t.range)
        case .identifier(let n): p += 1; return .name(n, t.range)
        case .keyword(.true): p += 1; return .bool(true, t.range)
        case .keyword(.false): p += 1; return .bool(false, t.range)
        case .keyword(.nil): p += 1; return .nil_(t.range)
        case .keyword(.fn): return .function(try function())
        case .keyword(.if):
            let (c, a, b, r) = try ifParts()
            return .ifExpr(c, a, b, r)
        case .op(.leftParen):
            p += 1
            let e = try expression()
            if isOp(.comma) {
                var items = [e]
                while isOp(.comma) {
                    p += 1
                    if isOp(.rightParen) { break } // (a,) is a one-element tuple
                    items.append(try expression())
                }
                _ = try expectOp(.rightParen, "to close '(' opened at \(t.range.line):\(t.range.column)")
                return .tuple(items, t.range)
            }
            _ = try expectOp(.rightParen, "to close '(' opened at \(t.range.line):\(t.range.column)")
            return e
        case .op(.leftBracket):
            p += 1
            var items: [Expr] = []
            while !isOp(.rightBracket) {
                items.append(try expression())
                if items.count == 1, isKeyword(.for) { return try comprehension(items[0], t.range) }
                if isOp(.comma) {
                    p += 1
                } else if !isOp(.rightBracket) {
                    throw error("expected ',' or ']' in the list, found \(describe(tok))")
                }
            }
            p += 1
            return .list(items, t.range)
        case .op(.leftBrace):
            p += 1
            var entries: [(String, Expr)] = []
            skipNewlines()
            while !isOp(.rightBrace) {
                let key: String
                switch tok.kind {
                case .identifier(let k): key = k
                case .string(let parts):
                    guard parts.count == 1, case .text(let s) = parts[0] else { throw error("dict keys must be plain strings") }
                    key = s
                default: throw error("expected a key (a name or a string) in the dict, found \(describe(tok))")
                }
                p += 1
                _ = try expectOp(.colon, "after the dict key '\(key)'")
                entries.append((key, try expression()))
                skipNewlines()
                if isOp(.comma) {
                    p += 1; skipNewlines()
                } else if !isOp(.rightBrace) {
                    throw error("expected ',' or '}' in the dict, found \(describe(tok))")
                }
            }
            p += 1
            return .dict(entries, t.range)
        case .eof, .newline:
            throw error("expected an expression, found \(describe(t))")
        default:
            throw error("expected an expression, found \(describe(t))")
        }
    }
}

/// Numbers print like Python's repr for floats, without `.0` when integral.
func formatNumber(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    if v == v.rounded(), abs(v) < 1e16 { return String(Int64(v)) }
    return "\(v)"
}

extension Parser {
    /// The range from `a` through `b` when both are on one line (a call underlined as a whole), else `fallback`.
    static func span(from a: SourceRange, to b: SourceRange, fallback: SourceRange) -> SourceRange {
        guard a.line == b.line, b.column >= a.column else { return fallback }
        return SourceRange(line: a.line, column: a.column, length: b.column + b.length - a.column)
    }
}

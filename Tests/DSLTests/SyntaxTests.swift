import Testing
@testable import DSL

/// The lexer and the parser on their own: tokens, where newlines end statements, precedence and
/// associativity, assignment targets, and which errors ask for more input.
@Suite struct SyntaxTests {
    static func kinds(_ source: String) throws -> [String] {
        try Lexer.tokenize(source).map { t in
            switch t.kind {
            case .number(let v): return formatNumber(v)
            case .string(let parts): return "str\(parts.count)"
            case .identifier(let s): return s
            case .keyword(let k): return "kw:\(k.rawValue)"
            case .op(let o): return o.rawValue
            case .newline: return "NL"
            case .eof: return "EOF"
            }
        }
    }

    @Test func tokensAndStatementEnds() throws {
        #expect(try Self.kinds("x += 1_000 # c\ny") == ["x", "+=", "1000", "NL", "y", "NL", "EOF"])
        // A newline after an operator, a comma or inside brackets continues the statement.
        #expect(try Self.kinds("a = 1 +\n2") == ["a", "=", "1", "+", "2", "NL", "EOF"])
        #expect(try Self.kinds("f(1,\n 2)\n") == ["f", "(", "1", ",", "2", ")", "NL", "NL", "EOF"])
        #expect(try Self.kinds("a |> b and not c") == ["a", "|>", "b", "kw:and", "kw:not", "c", "NL", "EOF"])
        #expect(try Self.kinds("\"a\\(x)b\" 2.5e-3 1e3") == ["str3", "0.0025", "1000", "NL", "EOF"])
        #expect(try Self.kinds("a\r\nb") == ["a", "NL", "b", "NL", "EOF"])
        // Every operator spelling the lexer knows comes back as itself.
        for op in Op.allCases {
            let src = "a " + op.rawValue + " b"
            if let toks = try? Self.kinds(src) { #expect(toks.contains(op.rawValue), "\(op)") }
        }
    }

    @Test(arguments: [
        ("\"abc", true, "unterminated string"), ("f(1, 2", true, "'(' opened at 1:2 is not closed"),
        ("\"a\\q\"", false, "unknown escape '\\q'"), ("x = 1 $", false, "unexpected character '$'"),
        ("a ! b", false, "unexpected '!'"), ("(]", false, "unexpected ']'"), ("12abc", false, "invalid number '12a…'")
    ])
    func lexerErrors(source: String, incomplete: Bool, message: String) {
        do {
            _ = try Lexer.tokenize(source)
            Issue.record("no error for \(source)")
        } catch let d as Diagnostic {
            #expect(d.incomplete == incomplete && d.message.hasPrefix(message), "\(d.message)")
        } catch { Issue.record("\(error)") }
    }

    /// The parse tree as an S-expression.
    static func tree(_ source: String) throws -> String {
        func e(_ x: Expr) -> String {
            switch x {
            case .number(let v, _): return formatNumber(v)
            case .string: return "\"…\""
            case .bool(let b, _): return "\(b)"
            case .nil_: return "nil"
            case .name(let n, _): return n
            case .tuple(let xs, _): return "(tuple " + xs.map(e).joined(separator: " ") + ")"
            case .comprehension(let el, let n, let seq, let c, _): return "(comp \(e(el)) \(n) \(e(seq))\(c.map { " if " + e($0) } ?? ""))"
            case .list(let xs, _): return "[" + xs.map(e).joined(separator: " ") + "]"
            case .dict(let ps, _): return "{" + ps.map { "\($0.0):\(e($0.1))" }.joined(separator: " ") + "}"
            case .unary(let o, let a, _): return "(\(o.rawValue) \(e(a)))"
            case .binary(let o, let a, let b, _): return "(\(o.rawValue) \(e(a)) \(e(b)))"
            case .and(let a, let b, _): return "(and \(e(a)) \(e(b)))"
            case .or(let a, let b, _): return "(or \(e(a)) \(e(b)))"
            case .call(let f, let args, _):
                return "(call \(e(f))" + args.map { " " + ($0.label.map { "\($0)=" } ?? "") + e($0.value) }.joined() + ")"
            case .index(let o, let items, _):
                return "(index \(e(o))"
                    + items.map { item -> String in
                        switch item {
                        case .single(let i): return " " + e(i)
                        case .slice(let lo, let hi): return " " + (lo.map(e) ?? "") + ":" + (hi.map(e) ?? "")
                        }
                    }.joined() + ")"
            case .member(let o, let f, _): return "(. \(e(o)) \(f))"
            case .function(let d): return "(fn \(d.params.map(\.name).joined(separator: " ")))"
            case .ifExpr(let c, _, _, _): return "(if \(e(c)))"
            }
        }
        return try Parser.parse(source).map { s -> String in
            switch s {
            case .expr(let x, let hidden): return e(x) + (hidden ? ";" : "")
            case .assign(let t, let op, let v, _): return "(\(op.map { $0.rawValue } ?? "")= \(e(t)) \(e(v)))"
            case .fnDecl(let d): return "(def \(d.name ?? "") \(d.params.count))"
            case .ifStmt(let c, _, let b, _): return "(if \(e(c))\(b == nil ? "" : " else"))"
            case .forStmt(let v, let s, _, _): return "(for \(v) \(e(s)))"
            case .whileStmt(let c, _, _): return "(while \(e(c)))"
            case .breakStmt: return "break"
            case .continueStmt: return "continue"
            case .returnStmt(let x, _): return "(return\(x.map { " " + e($0) } ?? ""))"
            }
        }.joined(separator: " | ")
    }

    @Test(arguments: [
        ("1 + 2 * 3 ^ 2", "(+ 1 (* 2 (^ 3 2)))"),
        ("-2 ^ 2", "(- (^ 2 2))"),
        ("2 ^ 3 ^ 2", "(^ 2 (^ 3 2))"),
        ("a - b - c", "(- (- a b) c)"),
        ("a @ b * c", "(* (@ a b) c)"),
        ("not a == b and c or d", "(or (and (not (== a b)) c) d)"),
        ("x |> f(1)", "(call f x 1)"),
        ("x |> g", "(call g x)"),
        ("m.f(a, k=2)[1:][0]", "(index (index (call (. m f) a k=2) 1:) 0)"),
        ("d.k += 1; y", "(+= (. d k) 1) | y"),
        ("x = {a: [1, 2], b: nil}", "(= x {a:[1 2] b:nil})"),
        ("print(1);", "(call print 1);"),
        ("fn f(a, b=2) { a }\nf(1)", "(def f 2) | (call f 1)"),
        ("for i in range(3) { }", "(for i (call range 3))"),
        ("if a { 1 } else if b { 2 } else { 3 }", "(if a else)"),
        ("g = fn(x) { x }", "(= g (fn x))")
    ])
    func precedenceAndStructure(source: String, tree: String) throws {
        #expect(try Self.tree(source) == tree)
    }

    @Test(arguments: [
        ("fn f(x) {", true), ("x = [1,\n2", true), ("if a {\n", true), ("x = 1 +", true),
        ("1 = x", false), ("f(a=1, 2)", false), ("x = )", false), ("fn f(a=1, b) { }", false), ("a b", false)
    ])
    func incompleteOrInvalid(source: String, incomplete: Bool) {
        #expect(Interpreter.completeness(source) == (incomplete ? .incomplete : .invalid), "\(source)")
    }
}

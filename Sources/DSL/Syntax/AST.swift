/// ECGScript syntax tree. Every node carries the source range errors point at.
indirect enum Expr {
    case number(Double, SourceRange)
    case string([InterpolatedPart], SourceRange)
    case bool(Bool, SourceRange)
    case nil_(SourceRange)
    case name(String, SourceRange)
    case list([Expr], SourceRange)
    /// `a, b` or `(a, b)`: an immutable sequence, shown as Python shows a tuple.
    case tuple([Expr], SourceRange)
    /// `[element for name in sequence if condition]`.
    case comprehension(Expr, String, Expr, Expr?, SourceRange)
    case dict([(String, Expr)], SourceRange)
    case unary(UnaryOperator, Expr, SourceRange)
    case binary(BinaryOperator, Expr, Expr, SourceRange)
    case and(Expr, Expr, SourceRange)
    case or(Expr, Expr, SourceRange)
    case call(Expr, [Argument], SourceRange)
    case index(Expr, [IndexItem], SourceRange)
    case member(Expr, String, SourceRange)
    case function(FunctionDecl)
    /// `if` used as an expression (its value is the taken branch's last value).
    case ifExpr(Expr, [Stmt], [Stmt]?, SourceRange)

    var range: SourceRange {
        switch self {
        case .number(_, let r), .string(_, let r), .bool(_, let r), .nil_(let r), .name(_, let r), .list(_, let r), .tuple(_, let r),
            .comprehension(_, _, _, _, let r),
            .dict(_, let r), .unary(_, _, let r), .binary(_, _, _, let r), .and(_, _, let r), .or(_, _, let r),
            .call(_, _, let r), .index(_, _, let r), .member(_, _, let r), .ifExpr(_, _, _, let r):
            return r
        case .function(let f): return f.range
        }
    }
}

enum InterpolatedPart {
    case text(String)
    case expr(Expr)
}

struct Argument {
    var label: String?
    var value: Expr
    var range: SourceRange
}

/// One index position: a single index or a slice `lo:hi`.
enum IndexItem {
    case single(Expr)
    case slice(Expr?, Expr?)
}

final class FunctionDecl {
    let name: String?
    let params: [(name: String, defaultValue: Expr?)]
    let body: [Stmt]
    let range: SourceRange
    init(name: String?, params: [(name: String, defaultValue: Expr?)], body: [Stmt], range: SourceRange) {
        self.name = name
        self.params = params
        self.body = body
        self.range = range
    }
}

indirect enum Stmt {
    /// An expression statement; `hidden` when it ends with `;`.
    case expr(Expr, hidden: Bool)
    case assign(Expr, BinaryOperator?, Expr, SourceRange) // target, compound operator (+ for +=), value
    case fnDecl(FunctionDecl)
    case ifStmt(Expr, [Stmt], [Stmt]?, SourceRange)
    case forStmt(String, Expr, [Stmt], SourceRange)
    case whileStmt(Expr, [Stmt], SourceRange)
    case breakStmt(SourceRange)
    case continueStmt(SourceRange)
    case returnStmt(Expr?, SourceRange)
}

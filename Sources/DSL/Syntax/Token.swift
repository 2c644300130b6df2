/// Lexical tokens of ECGScript.
enum TokenKind: Equatable {
    case number(Double)
    case string([StringPart])
    case identifier(String)
    case keyword(Keyword)
    case op(Op) // operators and punctuation
    case newline
    case eof
}

/// A piece of a string literal: text, or an interpolated expression's source with its position.
enum StringPart: Equatable {
    case text(String)
    case code(String, line: Int, column: Int)
}

struct Token: Equatable {
    var kind: TokenKind
    var range: SourceRange
}

/// The reserved words of ECGScript.
public enum Keyword: String, CaseIterable, Sendable {
    case `if`, `else`, `for`, `in`, `while`, `break`, `continue`, `return`, fn, `true`, `false`, `nil`, and, or, not
}

/// Operators and punctuation, as the lexer reads them.
public enum Op: String, CaseIterable, Sendable {
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", caret = "^", at = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case assign = "=", plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
    case pipe = "|>"
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]", leftBrace = "{", rightBrace = "}"
    case comma = ",", colon = ":", semicolon = ";", dot = "."

    /// After one of these a newline does not end the statement (the expression goes on).
    var continuesLine: Bool {
        switch self {
        case .rightParen, .rightBracket, .rightBrace, .semicolon: return false
        default: return true
        }
    }

    /// The binary operator this token spells, if any.
    var binary: BinaryOperator? { BinaryOperator(rawValue: rawValue) }

    /// The operator a compound assignment applies (`+=` → `+`).
    var compound: BinaryOperator? {
        switch self {
        case .plusAssign: return .add
        case .minusAssign: return .subtract
        case .starAssign: return .multiply
        case .slashAssign: return .divide
        default: return nil
        }
    }
}

/// Operators of binary expressions.
public enum BinaryOperator: String, CaseIterable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^", matmul = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

/// Operators of unary expressions.
public enum UnaryOperator: String, Sendable {
    case negate = "-", not
}

/// Lexical tokens of ECGScript.
enum TokenKind: Equatable {
    case number(Double)
    case string([StringPart])
    case identifier(String)
    case keyword(String)
    case op(String)          // operators and punctuation
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

let keywords: Set<String> = ["if", "else", "for", "in", "while", "break", "continue", "return", "fn", "true", "false", "nil", "and", "or", "not"]

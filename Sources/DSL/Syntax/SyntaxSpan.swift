/// A highlighted piece of source text: what it is, and where (character offsets, end exclusive).
public struct SyntaxSpan: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case keyword, name, number, string, comment, error
        /// An operator or punctuation.
        case op
        /// A name followed by `(`.
        case call
    }
    public var kind: Kind
    public var start: Int
    public var end: Int
}

/// A notebook that cannot be replayed (malformed cells, a bad parameter), with what is wrong.
public struct NotebookError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

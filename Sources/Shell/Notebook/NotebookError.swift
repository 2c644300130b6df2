/// A notebook that cannot be replayed (malformed cells, a bad parameter), with what is wrong.
struct NotebookError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

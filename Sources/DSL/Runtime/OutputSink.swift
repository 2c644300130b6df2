import Engine

/// Where the interpreter's output goes; the Shell provides one for the terminal and one for notebooks.
public protocol OutputSink: AnyObject {
    /// Text printed by `print` and by built-ins that report as they go.
    func write(_ text: String)
    /// The value of an expression statement (shown as `Out[n]` in the REPL, embedded in notebooks).
    func show(_ value: Value)
    /// Progress of long operations (training); sinks may draw a transient line.
    func progress(_ event: TrainEvent)
}

import Engine

/// Where the interpreter's output goes; the Shell provides one for the terminal, one for notebooks and
/// one for the Jupyter kernel. Only the first three are required; the others have plain defaults.
public protocol OutputSink: AnyObject {
    /// Text printed by `print` and by built-ins that report as they go.
    func write(_ text: String)
    /// The value of an expression statement (shown as `Out[n]` in the REPL, embedded in notebooks).
    func show(_ value: Value)
    /// Progress of long operations (training); sinks may draw a transient line.
    func progress(_ event: TrainEvent)
    /// Text for standard error (`print(x, stream="stderr")`); default: `write`.
    func writeError(_ text: String)
    /// Help text (`help(x)`): a pager where the front end has one (Jupyter), else `write`.
    func page(_ text: String)
    /// Clears the output shown so far (`clear_output()`, as IPython.display's); `wait`: when the next output
    /// arrives. Default: nothing (a terminal keeps its scrollback).
    func clearOutput(wait: Bool)
    /// A line typed by the user after `prompt` (`input()`); nil when the front end has no input.
    func readLine(prompt: String) -> String?
}

extension OutputSink {
    public func writeError(_ text: String) { write(text) }
    public func page(_ text: String) { write(text) }
    public func clearOutput(wait: Bool) {}
    public func readLine(prompt: String) -> String? { nil }
}

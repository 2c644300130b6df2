/// The outcome of executing one input (a REPL entry, a cell, a script).
public struct ExecOutcome {
    public var diagnostic: Diagnostic?
    /// True when the input is a valid prefix that needs more lines.
    public var incomplete: Bool { diagnostic?.incomplete ?? false }
    /// The value of the last expression statement, if any (`_` in the REPL).
    public var lastValue: Value?

    public init(diagnostic: Diagnostic?, lastValue: Value?) {
        self.diagnostic = diagnostic
        self.lastValue = lastValue
    }
}

import DSL

/// ANSI styling of text for a colour terminal (the DSL renders plain text and marks the parts).
enum TerminalStyle {
    static func paint(_ s: String, _ code: String, enabled: Bool) -> String { enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// Bold location and message, red label and caret; plain when `enabled` is false.
    static func diagnostic(enabled: Bool) -> (String, Diagnostic.Part) -> String {
        { s, part in
            switch part {
            case .location, .message: return paint(s, "1", enabled: enabled)
            case .label, .caret: return paint(s, "1;31", enabled: enabled)
            }
        }
    }
}

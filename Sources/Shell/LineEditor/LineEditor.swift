import CEdit
import Foundation

/// Line input for the REPL: libedit (history file, Ctrl-R search, Tab completion) on a terminal,
/// plain `readLine` otherwise. The only file that talks to libedit.
final class LineEditor {
    let interactive: Bool
    let historyPath: String
    /// Completion candidates for the word before the cursor, given the whole line.
    nonisolated(unsafe) static var complete: ((_ word: String, _ line: String) -> [String])?
    nonisolated(unsafe) static var matches: [String] = []
    nonisolated(unsafe) static var cancelled = false

    init(historyPath: String) {
        interactive = isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
        self.historyPath = historyPath
        guard interactive else { return }
        setlocale(LC_ALL, "")
        rl_readline_name = UnsafePointer(strdup("ecgs"))
        // Ctrl-C at the prompt cancels the line. libedit reads rl_getc_function only when it initialises, which
        // using_history() does, so it is set first: otherwise libedit keeps its own read(2), and a Ctrl-C that
        // comes before that read starts (while the prompt is drawn) is lost and the line hangs.
        rl_getc_function = { _ in LineEditor.nextCharacter() }
        using_history()
        _ = read_history(historyPath)
        // Word breaks: keep '.' and '/' inside words so fields and paths complete as a whole.
        rl_basic_word_break_characters = UnsafePointer(strdup(" \t\n\"(),=[]{}+-*^@<>|;:"))
        rl_completion_append_character = 0 // "linspace" + Tab → "linspace", ready for "("
        rl_attempted_completion_function = { text, _, _ in
            guard let text else { return nil }
            let word = String(cString: text)
            // The line up to the cursor (rl_point counts bytes of the buffer).
            let line =
                rl_line_buffer.map { buf in
                    String(
                        decoding: UnsafeBufferPointer(
                            start: UnsafeRawPointer(buf).assumingMemoryBound(to: UInt8.self), count: max(0, Int(rl_point))), as: UTF8.self)
                } ?? ""
            LineEditor.matches = LineEditor.complete?(word, line) ?? []
            rl_attempted_completion_over = 1
            if LineEditor.matches.isEmpty { return nil }
            return rl_completion_matches(text) { _, state in
                guard Int(state) < LineEditor.matches.count else { return nil }
                return strdup(LineEditor.matches[Int(state)])
            }
        }
    }

    /// One typed character for libedit, as a Unicode scalar (libedit's readline layer takes what this returns as a
    /// whole wide character, so UTF-8 is decoded here); newline with `cancelled` set on Ctrl-C; EOF at end of input.
    static func nextCharacter() -> Int32 {
        let stopped = { cancelled ? 10 : EOF } // newline for Ctrl-C (the REPL discards the line), else end of input
        guard let first = nextByte() else { return stopped() }
        if first < 0x80 { return Int32(first) }
        // A lead byte announces 1–3 more; a stray continuation byte or an invalid sequence gives U+FFFD rather than
        // bytes libedit would show as Latin-1.
        let extra = (0xC2...0xDF).contains(first) ? 1 : (0xE0...0xEF).contains(first) ? 2 : (0xF0...0xF4).contains(first) ? 3 : 0
        var bytes = [first]
        for _ in 0..<extra {
            guard let b = nextByte() else { return stopped() }
            bytes.append(b)
        }
        return Int32(String(decoding: bytes, as: UTF8.self).unicodeScalars.first?.value ?? 0xFFFD)
    }

    /// The next byte of input; nil on Ctrl-C (`cancelled` set) or at end of input. Ctrl-C counts whenever it came:
    /// while the prompt was drawn, between the check and the wait (the handler's self-pipe wakes the poll), or
    /// during the wait.
    private static func nextByte() -> UInt8? {
        var c: UInt8 = 0
        while true {
            if Interrupt.isRequested {
                Interrupt.clear()
                cancelled = true
                return nil
            }
            var fds = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: Interrupt.wakeFDs.read, events: Int16(POLLIN), revents: 0)
            ]
            let ready = poll(&fds, Interrupt.wakeFDs.read >= 0 ? 2 : 1, -1)
            if ready < 0 { if errno == EINTR { continue }; return nil }
            guard fds[0].revents != 0 else { continue }
            let n = Glibc.read(STDIN_FILENO, &c, 1)
            if n == 1 { return c }
            if n == 0 { return nil }
            if errno != EINTR && errno != EAGAIN { return nil }
        }
    }

    /// The next line without its newline; nil at end of input (Ctrl-D). `cancelled` reports Ctrl-C.
    func read(prompt: String) -> (String?, cancelled: Bool) {
        guard interactive else {
            return (Swift.readLine(strippingNewline: true), false)
        }
        LineEditor.cancelled = false
        errno = 0
        guard let p = readline(prompt) else {
            // libedit gives up the line with nil when SIGINT interrupts its read (before our getc sees
            // it): that is Ctrl-C at the prompt, which cancels the line — only a real end of input exits.
            if LineEditor.cancelled || errno == EINTR {
                Interrupt.clear()
                FileHandle.standardOutput.write(Data("\n".utf8))
                return ("", true)
            }
            return (nil, false)
        }
        defer { free(p) }
        let s = String(cString: p)
        if LineEditor.cancelled { return ("", true) }
        return (s, false)
    }

    func remember(_ entry: String) {
        guard interactive, !entry.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        add_history(entry)
    }

    func save() {
        guard interactive else { return }
        _ = write_history(historyPath)
        _ = history_truncate_file(historyPath, 5000)
    }

    /// The last `n` history entries.
    func recent(_ n: Int) -> [String] {
        guard interactive else { return [] }
        var out: [String] = []
        let total = Int(history_length)
        for i in max(1, total - n + 1)...max(1, total) {
            if let e = history_get(Int32(i)), let line = e.pointee.line { out.append(String(cString: line)) }
        }
        return out
    }
}

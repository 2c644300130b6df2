import DSL
import Engine
import Foundation

/// The interactive loop: read (with continuation lines while the parser says "incomplete"),
/// evaluate, display; `:commands`; numbered `In[n]` / `Out[n]`; `_` for the last value.
final class REPL {
    let editor: LineEditor
    let sink: TerminalSink
    let interp: Interpreter
    var n = 1
    var successful: [String] = []
    var failures = 0

    init(historyPath: String, figureDir: String) {
        editor = LineEditor(historyPath: historyPath)
        sink = TerminalSink(figureDir: figureDir)
        interp = Interpreter(sink: sink)
        interp.shouldStop = { Interrupt.isRequested }
        LineEditor.complete = { [unowned self] word, line in self.completions(word, line) }
    }

    var color: Bool { sink.color }
    func paint(_ s: String, _ code: String) -> String { TerminalStyle.paint(s, code, enabled: color) }

    /// Completion: paths inside strings; everything else from the interpreter's side-effect-free `completions`.
    /// `word` is what libedit will replace (it breaks words at '-' and other operators); `line` is the line up
    /// to the cursor.
    func completions(_ word: String, _ line: String) -> [String] {
        if line.filter({ $0 == "\"" }).count % 2 == 1, let quote = line.lastIndex(of: "\"") {
            // A path: complete all of it since the quote ("models/small-syn"), hand back the part libedit replaces.
            let path = String(line[line.index(after: quote)...])
            let extra = path.count - word.count
            guard extra >= 0 else { return PathCompletion.candidates(word) }
            return PathCompletion.candidates(path).filter { $0.count >= extra }.map { String($0.dropFirst(extra)) }
        }
        return interp.completions(for: word, line: line)
    }

    /// Runs until `:quit` or Ctrl-D. Returns the exit status (non-zero when piped input had an error).
    func run() -> Int32 {
        if editor.interactive {
            print(
                "ecgs — ECGScript \(paint("help()", "1")) for help, \(paint(":quit", "1")) or Ctrl-D to leave. BLAS: "
                    + "\(BLAS.coreDescription)"
            )
        }
        while true {
            // libedit counts escape sequences as printing characters, so the prompt stays plain.
            let prompt = editor.interactive ? "In[\(n)]: " : ""
            Interrupt.clear()
            let (first, cancelled) = editor.read(prompt: prompt)
            if cancelled { print(paint("^C", "2")); continue }
            guard var input = first else { break }
            if input.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if input.hasPrefix(":") || input.hasPrefix("?") {
                if handleCommand(input) { break }
                continue
            }
            // Continuation lines while the input is an incomplete prefix.
            var aborted = false
            while Interpreter.isIncomplete(input) {
                let pad = String(repeating: " ", count: max(0, "In[\(n)]: ".count - 5))
                let (more, c) = editor.read(prompt: editor.interactive ? pad + "...: " : "")
                if c { print(paint("^C", "2")); aborted = true; break }
                guard let more else { break }
                input += "\n" + more
            }
            if aborted { continue }
            editor.remember(input)
            evaluate(input)
        }
        editor.save()
        if editor.interactive { print("") }
        return failures > 0 && !editor.interactive ? 1 : 0
    }

    func evaluate(_ input: String) {
        let name = "In[\(n)]"
        sink.outLabel = editor.interactive ? "Out[\(n)]:" : nil
        Interrupt.clear()
        let outcome = interp.execute(input, file: name)
        sink.clearProgress()
        if let v = outcome.lastValue { interp.setGlobal("_", v) }
        if let d = outcome.diagnostic {
            failures += 1
            // The terminal echoed "^C" where the cursor was: the message starts on a line of its own.
            let lead = d.kind == .interrupted && editor.interactive ? "\n" : ""
            FileHandle.standardError.write(
                Data((lead + d.render(file: name, source: input, style: TerminalStyle.diagnostic(enabled: color))).utf8))
        } else {
            successful.append(input)
        }
        n += 1
    }

    /// Returns true to quit.
    func handleCommand(_ raw: String) -> Bool {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("?") { sink.write(interp.help(for: String(line.dropFirst()))); return false }
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case ":quit", ":q", ":exit": return true
        case ":help", ":h": sink.write(interp.help(for: arg))
        case ":vars":
            let vars = interp.variables.filter { $0.0 != "_" }
            if vars.isEmpty { print("(no variables)") }
            for (k, v) in vars {
                print(
                    "\(k.padding(toLength: max(12, k.count), withPad: " ", startingAt: 0))  "
                        + "\(v.typeName.padding(toLength: 10, withPad: " ", startingAt: 0))  \(Display.repr(v))"
                )
            }
        case ":time":
            let t0 = Date()
            evaluate(arg)
            print(paint(String(format: "%.3f s", Date().timeIntervalSince(t0)), "2"))
        case ":history":
            let k = Int(arg) ?? 20
            for (i, e) in editor.recent(k).enumerated() { print("\(i + 1)  \(e.replacingOccurrences(of: "\n", with: "\n   "))") }
            if !editor.interactive { for e in successful.suffix(k) { print(e) } }
        case ":save":
            guard !arg.isEmpty else {
                FileHandle.standardError.write(Data(":save needs a file name, e.g. :save session.ecgs\n".utf8)); return false
            }
            do {
                try AtomicFile.write(Data((successful.joined(separator: "\n") + "\n").utf8), to: arg, op: ":save")
                print("saved \(successful.count) inputs to \(arg)")
            } catch { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
        case ":run":
            guard let text = try? String(contentsOfFile: arg, encoding: .utf8) else {
                FileHandle.standardError.write(Data(":run: cannot read '\(arg)'\n".utf8)); failures += 1; return false
            }
            sink.outLabel = nil
            let out = interp.execute(text, file: arg)
            if let d = out.diagnostic {
                failures += 1;
                FileHandle.standardError.write(
                    Data(d.render(file: arg, source: text, style: TerminalStyle.diagnostic(enabled: color)).utf8))
            }
        case ":reset":
            interp.reset()
            successful = []
            print("all variables cleared")
        default:
            let cmds = [":help", ":vars", ":time", ":history", ":save", ":run", ":reset", ":quit"]
            let hint = didYouMean(parts[0], among: cmds)
            FileHandle.standardError.write(Data("unknown command '\(parts[0])'\(hint); commands: \(cmds.joined(separator: " "))\n".utf8))
            failures += 1
        }
        return false
    }

}

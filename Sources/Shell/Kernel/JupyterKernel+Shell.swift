import DSL
import Engine
import Foundation

/// The shell channel's requests.
extension JupyterKernel {
    /// Handles one shell request; a non-nil result ends the kernel (true: the client asked for a restart).
    func handleShell(_ msg: JupyterMessage) -> Bool? {
        status("busy", parent: msg)
        defer { status("idle", parent: msg) }
        switch msg.type {
        case "kernel_info_request": reply(shell, to: msg, "kernel_info_reply", kernelInfo)
        case "execute_request": execute(msg)
        case "complete_request": reply(shell, to: msg, "complete_reply", complete(msg.content))
        case "inspect_request": reply(shell, to: msg, "inspect_reply", inspect(msg.content))
        case "is_complete_request": reply(shell, to: msg, "is_complete_reply", isComplete(msg.content))
        case "history_request": reply(shell, to: msg, "history_reply", historyReply(msg.content))
        case "comm_info_request": reply(shell, to: msg, "comm_info_reply", ["status": "ok", "comms": [String: Any]()])
        case "comm_open":
            // No comm targets: say the comm is closed, as ipykernel does for an unknown target.
            if let id = msg.content["comm_id"] as? String { publish("comm_close", ["comm_id": id, "data": [String: Any]()], parent: msg) }
        case "comm_msg", "comm_close": break
        case "shutdown_request":
            let restart = msg.content["restart"] as? Bool ?? false
            reply(shell, to: msg, "shutdown_reply", ["status": "ok", "restart": restart])
            return restart
        case "interrupt_request":
            Interrupt.requested = 1
            reply(shell, to: msg, "interrupt_reply", ["status": "ok"])
        default:
            Self.log("shell: message type '\(msg.type)' is not handled; dropped")
        }
        return nil
    }

    /// Runs a cell. After a failure with `stop_on_error`, the execute requests queued before its reply are aborted.
    func execute(_ msg: JupyterMessage) {
        guard let code = msg.content["code"] as? String else {
            reply(shell, to: msg, "execute_reply", ["status": "error", "ename": "BadRequest", "evalue": "no code", "traceback": [String]()])
            return
        }
        let silent = msg.content["silent"] as? Bool ?? false
        let store = (msg.content["store_history"] as? Bool ?? true) && !silent
        if store { executionCount += 1 }
        let count = executionCount
        if !silent { publish("execute_input", ["code": code, "execution_count": count], parent: msg) }
        parent = msg
        defer { parent = nil }
        sink.begin(count: count, silent: silent)
        let allowStdin = msg.content["allow_stdin"] as? Bool ?? false
        sink.requestInput = allowStdin ? { [unowned self] prompt in self.input(prompt: prompt, for: msg) } : nil
        Interrupt.clear()
        var outcome: ExecOutcome
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        if let topic = Self.helpQuery(trimmed) {
            sink.page(interp.help(for: topic)) // `?x` / `x?`: help, never running anything
            outcome = ExecOutcome(diagnostic: nil, lastValue: nil)
        } else {
            outcome = interp.execute(code, file: "In[\(count)]")
        }
        if let v = outcome.lastValue { interp.setGlobal("_", v) }
        let payload: [[String: Any]] =
            sink.pages.isEmpty ? [] : [["source": "page", "data": ["text/plain": sink.pages.joined()], "start": 0]]
        if store { history.append((count, code, outcome.lastValue.map(Display.repr) ?? "")) }
        if let d = outcome.diagnostic {
            let ename: String
            switch d.kind {
            case .interrupted: ename = "KeyboardInterrupt"
            case .timeout: ename = "TimeoutError"
            case .incomplete: ename = "IncompleteInput"
            case .error: ename = "ECGScriptError"
            }
            let traceback = d.render(file: "In[\(count)]", source: code).split(separator: "\n", omittingEmptySubsequences: false).map(
                String.init)
            let error: [String: Any] = [
                "ename": ename, "evalue": d.message, "traceback": traceback.last == "" ? Array(traceback.dropLast()) : traceback
            ]
            publish("error", error, parent: msg)
            var content = error
            content["status"] = "error"
            content["execution_count"] = count
            content["user_expressions"] = [String: Any]()
            // What is queued now (before the client sees this reply and sends more) is what stop_on_error aborts.
            let queued = msg.content["stop_on_error"] as? Bool ?? true ? drainShell() : []
            reply(shell, to: msg, "execute_reply", content)
            abort(queued)
            return
        }
        let expressions = msg.content["user_expressions"] as? [String: String] ?? [:]
        reply(
            shell, to: msg, "execute_reply",
            ["status": "ok", "execution_count": count, "payload": payload, "user_expressions": userExpressions(expressions)])
    }

    /// `?name` or `name?` (IPython's pager syntax): the name, else nil.
    static func helpQuery(_ code: String) -> String? {
        guard !code.contains("\n") else { return nil }
        guard code.hasPrefix("?") || code.hasSuffix("?") else { return nil }
        return code.trimmingCharacters(in: CharacterSet(charactersIn: "? "))
    }

    func userExpressions(_ expressions: [String: String]) -> [String: Any] {
        var out: [String: Any] = [:]
        for (name, code) in expressions {
            switch interp.evaluate(expression: code) {
            case .success(let v):
                out[name] = ["status": "ok", "data": ["text/plain": Display.repr(v)], "metadata": [String: Any]()]
            case .failure(let d):
                out[name] = ["status": "error", "ename": "ECGScriptError", "evalue": d.message, "traceback": [d.message]]
            }
        }
        return out
    }

    /// The shell requests waiting in the socket now.
    func drainShell() -> [[Data]] {
        var queued: [[Data]] = []
        while !zmq.poll([shell], timeout: 0).isEmpty, let frames = shell.receive(wait: false) { queued.append(frames) }
        return queued
    }

    /// After a failed cell with `stop_on_error`, the execute requests that were queued are answered "aborted"
    /// without running (as ipykernel); other queued requests are handled as usual.
    func abort(_ queued: [[Data]]) {
        for frames in queued {
            guard let msg = receive(frames, channel: "shell") else { continue }
            guard msg.type == "execute_request" else {
                if handleShell(msg) != nil { shuttingDown = true }
                continue
            }
            status("busy", parent: msg)
            reply(shell, to: msg, "execute_reply", ["status": "aborted", "execution_count": executionCount])
            status("idle", parent: msg)
        }
    }

    /// Asks the client for a line on the stdin channel and waits for it (an interrupt gives up).
    func input(prompt: String, for request: JupyterMessage) -> String? {
        send(stdin, "input_request", ["prompt": prompt, "password": false], parent: request, identities: request.identities)
        while !shuttingDown && !Interrupt.isRequested {
            guard !zmq.poll([stdin], timeout: 100).isEmpty, let frames = stdin.receive(wait: false) else { continue }
            guard let msg = receive(frames, channel: "stdin"), msg.type == "input_reply" else { continue }
            return msg.content["value"] as? String ?? ""
        }
        return nil
    }

    // MARK: completion, inspection, completeness, history

    /// The text before the cursor (a position in Unicode code points, as the protocol counts).
    static func prefix(_ code: String, _ cursor: Int) -> String {
        String(String.UnicodeScalarView(code.unicodeScalars.prefix(max(0, cursor))))
    }

    func complete(_ content: [String: Any]) -> [String: Any] {
        let code = content["code"] as? String ?? ""
        let cursor = min(content["cursor_pos"] as? Int ?? code.unicodeScalars.count, code.unicodeScalars.count)
        let before = Self.prefix(code, cursor)
        let line = before.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let matches: [String]
        let word: String
        if line.filter({ $0 == "\"" }).count % 2 == 1 { // inside a string: a path
            word = String(line[line.index(after: line.lastIndex(of: "\"")!)...])
            matches = PathCompletion.candidates(word)
        } else {
            word = String(line.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.reversed())
            matches = interp.completions(for: word, line: line)
        }
        return [
            "status": "ok", "matches": matches, "cursor_start": cursor - word.unicodeScalars.count, "cursor_end": cursor,
            "metadata": [String: Any]()
        ]
    }

    func inspect(_ content: [String: Any]) -> [String: Any] {
        let code = content["code"] as? String ?? ""
        let cursor = min(content["cursor_pos"] as? Int ?? code.unicodeScalars.count, code.unicodeScalars.count)
        let before = Self.prefix(code, cursor)
        let after = String(String.UnicodeScalarView(code.unicodeScalars.dropFirst(cursor)))
        func isPath(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }
        let path =
            String(before.reversed().prefix(while: isPath).reversed()) + String(after.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        let name = path.trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard !name.isEmpty, interp.lookup(path: name) != nil || Help.isTopic(name) else {
            return ["status": "ok", "found": false, "data": [String: Any](), "metadata": [String: Any]()]
        }
        return ["status": "ok", "found": true, "data": ["text/plain": interp.help(for: name)], "metadata": [String: Any]()]
    }

    func isComplete(_ content: [String: Any]) -> [String: Any] {
        switch Interpreter.completeness(content["code"] as? String ?? "") {
        case .complete: return ["status": "complete"]
        case .incomplete: return ["status": "incomplete", "indent": ""]
        case .invalid: return ["status": "invalid"]
        }
    }

    /// `tail` (the last n), `range` (lines start..<stop of the current session, 1), `search` (glob pattern,
    /// newest first up to n, `unique`).
    func historyReply(_ content: [String: Any]) -> [String: Any] {
        let withOutput = content["output"] as? Bool ?? false
        func entry(_ h: (Int, String, String)) -> [Any] { withOutput ? [1, h.0, [h.1, h.2]] : [1, h.0, h.1] }
        var items = history
        switch content["hist_access_type"] as? String ?? "tail" {
        case "range":
            let start = content["start"] as? Int ?? 0, stop = content["stop"] as? Int ?? Int.max
            items = items.filter { $0.0 >= start && $0.0 < stop }
        case "search":
            let pattern = content["pattern"] as? String ?? "*"
            items = items.filter { fnmatch(pattern, $0.1, 0) == 0 }
            if content["unique"] as? Bool ?? false {
                var seen = Set<String>()
                items = items.reversed().filter { seen.insert($0.1).inserted }.reversed()
            }
            if let n = content["n"] as? Int, n > 0 { items = Array(items.suffix(n)) }
        default:
            if let n = content["n"] as? Int, n >= 0 { items = Array(items.suffix(n)) }
        }
        return ["status": "ok", "history": items.map(entry)]
    }
}

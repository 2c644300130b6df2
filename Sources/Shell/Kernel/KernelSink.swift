import DSL
import Engine
import Foundation

/// The interpreter's output as Jupyter IOPub messages for the request being executed: `print` → `stream`,
/// values → `execute_result` (text/plain, text/html for tables), figures → `display_data` (PNG at 2× for
/// HiDPI screens, and PDF), training progress → one `display_data` updated in place, help → the pager payload.
final class KernelSink: OutputSink {
    /// Sends one IOPub message of a type with content, as a child of the current request.
    let publish: (_ type: String, _ content: [String: Any]) -> Void
    /// Asks the client for a line (stdin channel), nil when the request does not allow stdin.
    var requestInput: ((_ prompt: String) -> String?)?
    var executionCount = 0
    /// Values are not broadcast for a silent request.
    var silent = false
    /// Help text for the execute reply's pager payload.
    var pages: [String] = []
    private var progressID: String?
    private var progressLines: [String] = []
    private var progressTail = ""
    private var lastProgress = Date.distantPast

    init(publish: @escaping (String, [String: Any]) -> Void) { self.publish = publish }

    /// Resets the per-request state.
    func begin(count: Int, silent: Bool) {
        executionCount = count
        self.silent = silent
        pages = []
        progressID = nil
        progressLines = []
        progressTail = ""
    }

    func write(_ text: String) { publish("stream", ["name": "stdout", "text": text]) }
    func writeError(_ text: String) { publish("stream", ["name": "stderr", "text": text]) }
    func page(_ text: String) { pages.append(text) }
    func clearOutput(wait: Bool) { publish("clear_output", ["wait": wait]) }
    func readLine(prompt: String) -> String? { requestInput?(prompt) }

    func show(_ value: Value) {
        guard !silent else { return }
        if case .figure(let f) = value {
            publish("display_data", Self.figure(f))
            return
        }
        var data: [String: Any] = ["text/plain": Display.block(value).trimmingCharacters(in: .newlines)]
        if let html = HTML.of(value) { data["text/html"] = html }
        publish("execute_result", ["execution_count": executionCount, "data": data, "metadata": [String: Any]()])
    }

    /// A figure's display data: PNG rendered at twice its dpi, shown at its 1× size.
    static func figure(_ f: Figure) -> [String: Any] {
        var hi = f
        hi.dpi = f.dpi * 2
        var data: [String: Any] = ["text/plain": Display.repr(.figure(f))]
        var metadata: [String: Any] = [:]
        do {
            data["image/png"] = try FigureWriter.png(hi).base64EncodedString()
            metadata["image/png"] = ["width": f.pixelWidth, "height": f.pixelHeight]
            // The vector form too, as IPython's set_matplotlib_formats("png", "pdf"): nbconvert's PDF export uses it.
            data["application/pdf"] = try FigureWriter.data(f, .pdf).base64EncodedString()
        } catch {
            data["text/plain"] = "figure: \(error)"
        }
        return ["data": data, "metadata": metadata, "transient": [String: Any]()]
    }

    /// One display per request, updated per epoch and at most 4 times a second per batch.
    func progress(_ event: TrainEvent) {
        switch event {
        case .epoch(let r, let best):
            progressLines.append(Display.epochLine(r, best: best))
            progressTail = ""
        case .batch(let phase, let epoch, let epochs, let batch, let batches, let loss, let sps, let eta):
            guard Date().timeIntervalSince(lastProgress) >= 0.25 || batch == batches else { return }
            progressTail =
                "\(phase) epoch \(epoch)/\(epochs)  batch \(batch)/\(batches)  loss \(String(format: "%.4f", loss))  "
                + "\(String(format: "%.0f", sps)) samples/s  ETA \(Int(eta)) s"
        case .message(let m):
            progressLines.append(m)
        case .status(let m):
            progressTail = m
        }
        lastProgress = Date()
        // The last 20 lines: a long run stays a short display (the run's history table has every epoch).
        let hidden = max(0, progressLines.count - 20)
        let text =
            ((hidden > 0 ? ["(\(hidden) earlier lines)"] : []) + progressLines.suffix(20) + (progressTail.isEmpty ? [] : [progressTail]))
            .joined(separator: "\n")
        let first = progressID == nil
        let id = progressID ?? "ecgs-progress-\(executionCount)-\(UUID().uuidString.prefix(8))"
        progressID = id
        publish(
            first ? "display_data" : "update_display_data",
            ["data": ["text/plain": text], "metadata": [String: Any](), "transient": ["display_id": id]])
    }
}

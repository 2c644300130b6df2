import DSL
import Engine
import Foundation

/// Output to the terminal: values as text (`Out[n]` in the REPL), figures written as PNG files whose
/// path is shown, training progress as one updating line on a terminal (epoch lines otherwise).
final class TerminalSink: OutputSink {
    var color: Bool
    let isTTY: Bool
    /// Folder where displayed figures are written.
    var figureDir: String
    var figureCount = 0
    /// Prefix for shown values (`Out[3]: `) set by the REPL.
    var outLabel: String?
    var progressShown = false
    var lastProgress = Date.distantPast

    init(figureDir: String) {
        isTTY = isatty(STDOUT_FILENO) != 0
        color = isTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        self.figureDir = figureDir
    }

    func out(_ s: String) {
        clearProgress()
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    func clearProgress() {
        if progressShown { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)); progressShown = false }
    }

    func write(_ text: String) { out(text) }

    func writeError(_ text: String) {
        clearProgress()
        FileHandle.standardError.write(Data(text.utf8))
    }

    func readLine(prompt: String) -> String? {
        clearProgress()
        out(prompt)
        return Swift.readLine(strippingNewline: true)
    }

    func show(_ value: Value) {
        var text: String
        if case .figure(let f) = value, let saved = f.savedPath {
            text = "Figure \(f.pixelWidth)×\(f.pixelHeight) px → \(saved)\n"
        } else if case .figure(let f) = value {
            figureCount += 1
            try? FileManager.default.createDirectory(atPath: figureDir, withIntermediateDirectories: true)
            let path = figureDir + "/figure-\(figureCount).png"
            do {
                try FigureWriter.write(f, to: path)
                text = "Figure \(f.pixelWidth)×\(f.pixelHeight) px → \(path)\n"
            } catch { text = "could not write the figure: \(error)\n" }
        } else {
            text = Display.block(value)
            if !text.hasSuffix("\n") { text += "\n" }
        }
        if let label = outLabel {
            let l = TerminalStyle.paint(label, "31", enabled: color)
            // A one-line value follows the label; a block starts on the next line.
            text = (text.dropLast().contains("\n") ? l + "\n" : l + " ") + text
        }
        out(text)
    }

    func progress(_ event: TrainEvent) {
        switch event {
        case .batch(let phase, let epoch, let epochs, let batch, let batches, let loss, let sps, let eta):
            guard isTTY, Date().timeIntervalSince(lastProgress) > 0.2 || batch == batches else { return }
            lastProgress = Date()
            let line =
                "\(phase) epoch \(epoch)/\(epochs)  batch \(batch)/\(batches)  loss " + String(format: "%.4f  %.0f samples/s", loss, sps)
                + "  ETA \(Self.duration(eta))"
            FileHandle.standardOutput.write(Data("\r\u{1B}[K\(line)".utf8))
            progressShown = true
        case .epoch(let r, let best):
            out(Display.epochLine(r, best: best) + "\n")
        case .message(let m):
            clearProgress()
            out(m + "\n")
        case .status(let m):
            if isTTY { clearProgress(); FileHandle.standardOutput.write(Data("\r\u{1B}[K\(m)".utf8)); progressShown = true }
        }
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        let t = Int(s.rounded())
        return t >= 3600
            ? "\(t / 3600)h\(String(format: "%02d", t % 3600 / 60))m" : t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }
}

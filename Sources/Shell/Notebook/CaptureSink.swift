import DSL
import Engine
import Foundation

final class CaptureSink: OutputSink {
    var outputs: [CellOutput] = []
    var echo: Bool
    init(echo: Bool) { self.echo = echo }

    func write(_ text: String) {
        if case .stream(let s)? = outputs.last { outputs[outputs.count - 1] = .stream(s + text) } else { outputs.append(.stream(text)) }
    }

    func writeError(_ text: String) {
        if case .stderr(let s)? = outputs.last { outputs[outputs.count - 1] = .stderr(s + text) } else { outputs.append(.stderr(text)) }
    }

    /// A replayed notebook keeps what a live one would show after the clear: the outputs from here on.
    func clearOutput(wait: Bool) {
        outputs.removeAll()
    }

    func show(_ value: Value) {
        if case .figure(let f) = value {
            do {
                let png = try FigureWriter.png(f)
                outputs.append(.figure(png: png, title: f.title, width: f.pixelWidth, height: f.pixelHeight))
            } catch { outputs.append(.error(message: "figure: \(error)", rendered: "figure: \(error)\n")) }
            return
        }
        outputs.append(.value(text: Display.block(value), html: HTML.of(value)))
    }

    func progress(_ event: TrainEvent) {
        switch event {
        case .epoch(let r, let best):
            write(Display.epochLine(r, best: best) + "\n")
            if echo {
                FileHandle.standardError.write(Data("  \(r.phase) epoch \(r.epoch) val AUROC \(String(format: "%.4f", r.valAUROC))\n".utf8))
            }
        case .message(let m):
            write(m + "\n")
            if echo { FileHandle.standardError.write(Data("  \(m)\n".utf8)) }
        case .status(let m):
            if echo { FileHandle.standardError.write(Data("  \(m)\n".utf8)) }
        case .batch: break
        }
    }
}

/// Replays a script cell by cell with one interpreter.

import Engine
import Foundation

/// Markdown: markdown cells as they are, code in fenced blocks, outputs in plain blocks, figures as
/// PNG files in a folder next to the document.
enum MarkdownWriter {
    static func render(_ results: [CellResult], figureDir: String, figureLink: String) throws -> String {
        var out = ""
        var n = 0
        for r in results {
            if r.cell.kind == .markdown { out += r.cell.source + "\n\n"; continue }
            out += "```ecgs\n\(r.cell.source)\n```\n"
            if let c = r.executionCount { out += "<sub>[\(c)] \(String(format: "%.2f", r.seconds)) s</sub>\n\n" }
            for o in r.outputs {
                switch o {
                case .stream(let s), .stderr(let s): out += "```text\n\(s.hasSuffix("\n") ? s : s + "\n")```\n\n"
                case .value(let t, _): out += "```text\n\(t.hasSuffix("\n") ? t : t + "\n")```\n\n"
                case .figure(let png, let t, _, _):
                    n += 1
                    try FileManager.default.createDirectory(atPath: figureDir, withIntermediateDirectories: true)
                    let name = "figure-\(n).png"
                    try AtomicFile.write(png, to: figureDir + "/" + name, op: "notebook")
                    out += "![\(t)](\(figureLink)/\(name))\n\n"
                case .error(_, let rendered): out += "```text\n\(rendered)```\n\n"
                }
            }
        }
        return out
    }
}

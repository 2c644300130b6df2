import Engine
import Foundation

/// nbformat 4.5 JSON: cells with ids, execution counts, timing metadata, stream / execute_result /
/// display_data (image/png) / error outputs.
enum IpynbWriter {
    static func lines(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        for ch in s {
            cur.append(ch)
            if ch == "\n" { out.append(cur); cur = "" }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    static func document(_ results: [CellResult], title: String) -> [String: Any] {
        var cells: [[String: Any]] = []
        for (i, r) in results.enumerated() {
            let id = String(format: "cell-%04d", i)
            if r.cell.kind == .markdown {
                cells.append(["cell_type": "markdown", "id": id, "metadata": [String: Any](), "source": lines(r.cell.source)])
                continue
            }
            var outputs: [[String: Any]] = []
            for o in r.outputs {
                switch o {
                case .stream(let s): outputs.append(["output_type": "stream", "name": "stdout", "text": lines(s)])
                case .stderr(let s): outputs.append(["output_type": "stream", "name": "stderr", "text": lines(s)])
                case .value(let text, let html):
                    var data: [String: Any] = ["text/plain": lines(text)]
                    if let html { data["text/html"] = lines(html) }
                    outputs.append([
                        "output_type": "execute_result", "execution_count": r.executionCount ?? NSNull(), "data": data,
                        "metadata": [String: Any]()
                    ])
                case .figure(let png, let t, let w, let h):
                    outputs.append([
                        "output_type": "display_data",
                        "data": ["image/png": png.base64EncodedString(), "text/plain": ["<Figure \(t.isEmpty ? "" : "'\(t)' ")\(w)×\(h)>"]],
                        "metadata": ["image/png": ["width": w, "height": h]]
                    ])
                case .error(let m, let rendered):
                    outputs.append([
                        "output_type": "error", "ename": "ECGScriptError", "evalue": m,
                        "traceback": rendered.split(separator: "\n").map(String.init)
                    ])
                }
            }
            var meta: [String: Any] = [:]
            if r.executionCount != nil {
                meta["execution"] = [
                    "iopub.execute_input": iso(r.started), "shell.execute_reply": iso(r.started.addingTimeInterval(r.seconds))
                ]
                meta["ecgs"] = ["seconds": (r.seconds * 1000).rounded() / 1000]
            }
            if !r.cell.title.isEmpty { meta["title"] = r.cell.title }
            cells.append([
                "cell_type": "code", "id": id, "execution_count": r.executionCount ?? NSNull(), "metadata": meta,
                "outputs": outputs, "source": lines(r.cell.source)
            ])
        }
        return [
            "nbformat": 4, "nbformat_minor": 5, "cells": cells,
            "metadata": [
                "kernelspec": ["name": "ecgs", "display_name": "ECGScript (ecgs)", "language": "ecgscript"],
                "language_info": ["name": "ecgscript", "file_extension": ".ecgs", "mimetype": "text/x-ecgscript"],
                "title": title
            ]
        ]
    }

    static func data(_ results: [CellResult], title: String) throws -> Data {
        try JSONSerialization.data(withJSONObject: document(results, title: title), options: [.prettyPrinted, .sortedKeys])
    }
}

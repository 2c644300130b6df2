import Foundation

/// A Jupyter notebook (nbformat 4) as an ECGScript percent script (`# %%` code cells, `# %% [markdown]`
/// cells with `# `-prefixed lines), the format `ecgs notebook` replays: what a notebook saved from
/// JupyterLab with the ECGScript kernel becomes, so the two ways of working meet. Outputs are left out.
public enum IpynbReader {
    public static func script(from data: Data, path: String) throws -> String {
        guard let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NotebookError("\(path): not a JSON notebook")
        }
        guard let major = doc["nbformat"] as? Int, major == 4 else {
            throw NotebookError("\(path): nbformat \(doc["nbformat"].map { "\($0)" } ?? "missing") (4 is read)")
        }
        if let lang = (doc["metadata"] as? [String: Any]).flatMap({ ($0["kernelspec"] as? [String: Any])?["language"] as? String }),
            lang != "ecgscript"
        {
            throw NotebookError("\(path): a \(lang) notebook (its kernelspec's language), not ECGScript")
        }
        guard let cells = doc["cells"] as? [[String: Any]] else { throw NotebookError("\(path): no 'cells' list") }
        var out: [String] = []
        for (i, cell) in cells.enumerated() {
            let source: String
            switch cell["source"] {
            case let s as String: source = s
            case let lines as [String]: source = lines.joined()
            default: throw NotebookError("\(path): cell \(i + 1) has no source")
            }
            let text = source.hasSuffix("\n") ? String(source.dropLast()) : source
            switch cell["cell_type"] as? String {
            case "markdown":
                out.append(
                    "# %% [markdown]\n"
                        + text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "#" : "# \($0)" }.joined(
                            separator: "\n"))
            case "code":
                let title = ((cell["metadata"] as? [String: Any])?["title"] as? String).map { " " + $0 } ?? ""
                out.append("# %%\(title)\n" + text)
            case "raw":
                out.append(
                    "# %% [raw]\n" + text.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)" }.joined(separator: "\n")
                )
            default: throw NotebookError("\(path): cell \(i + 1) has an unknown cell_type")
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }
}

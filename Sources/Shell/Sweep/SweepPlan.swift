import Engine
import Foundation

/// A sweep's definition and its folder: `DIR/sweep.json` (the notebook's absolute path and the grid),
/// `DIR/runs/NNN/` per combination (notebook.ipynb, notebook.html, the notebook's files, log.txt,
/// status.json, notebook.results.json), `DIR/results.csv` and `DIR/summary.csv`. Written first, so that a
/// Slurm array task or a later `--resume` / `--collect` runs exactly the same combinations.
struct SweepPlan: Equatable {
    var script: String
    var grid: SweepGrid
    var dir: String

    var runs: [[(name: String, value: String)]] { grid.runs }
    var file: String { dir + "/sweep.json" }
    func runDir(_ k: Int) -> String { dir + "/runs/" + String(format: "%03d", k) }

    static func == (a: SweepPlan, b: SweepPlan) -> Bool { a.script == b.script && a.grid == b.grid }

    func write() throws {
        let doc: [String: Any] = [
            "notebook": script, "grid": grid.axes.map { [$0.name, $0.values] as [Any] }, "runs": grid.count
        ]
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys]), to: file, op: "sweep")
    }

    /// The plan stored in `dir` (nil when there is none); errors name the file.
    static func read(dir: String) throws -> SweepPlan? {
        let file = dir + "/sweep.json"
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        guard let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let script = doc["notebook"] as? String,
            let grid = doc["grid"] as? [[Any]]
        else { throw NotebookError("\(file): not a sweep definition of `ecgs sweep` (notebook, grid)") }
        var axes: [(name: String, values: [String])] = []
        for axis in grid {
            guard axis.count == 2, let name = axis[0] as? String, let values = axis[1] as? [String], !values.isEmpty else {
                throw NotebookError("\(file): a grid entry is not [NAME, [values]]")
            }
            axes.append((name, values))
        }
        return SweepPlan(script: script, grid: SweepGrid(axes: axes), dir: dir)
    }

    /// "SEED=1 RECIPE=post": a run's parameters for messages.
    static func describe(_ params: [(name: String, value: String)]) -> String {
        params.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }
}

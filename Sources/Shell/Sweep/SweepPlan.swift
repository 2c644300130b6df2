import Engine
import Foundation

/// A sweep's definition and its folder: `DIR/sweep.json` (the notebook's absolute path and the grid),
/// the folder it was started in (relative paths in the notebook and its parameters resolve there, for
/// every run wherever it executes), `DIR/runs/NNN/` per combination (notebook.ipynb, notebook.html, the notebook's files, log.txt,
/// status.json, notebook.results.json), `DIR/results.csv` and `DIR/summary.csv`. Written first, so that a
/// Slurm array task or a later `--resume` / `--collect` runs exactly the same combinations.
struct SweepPlan: Equatable {
    var script: String
    var grid: SweepGrid
    var dir: String
    /// The working folder of every run.
    var workingDirectory: String

    /// Every combination of the grid as a run in its folder, in order.
    var runs: [SweepRun] { grid.runs.enumerated().map { SweepRun(index: $0.offset, parameters: $0.element, dir: runDir($0.offset)) } }
    var file: String { dir + "/sweep.json" }
    func runDir(_ k: Int) -> String { dir + "/runs/" + String(format: "%03d", k) }

    static func == (a: SweepPlan, b: SweepPlan) -> Bool {
        a.script == b.script && a.grid == b.grid && a.workingDirectory == b.workingDirectory
    }

    func write() throws {
        let doc: [String: Any] = [
            "notebook": script, "grid": grid.axes.map { [$0.name, $0.values] as [Any] }, "runs": grid.count,
            "working_directory": workingDirectory
        ]
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys]), to: file, op: "sweep")
    }

    /// The plan stored in `dir` (nil when there is none); errors name the file.
    static func read(dir: String) throws -> SweepPlan? {
        let file = dir + "/sweep.json"
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        guard let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let script = doc["notebook"] as? String,
            let grid = doc["grid"] as? [[Any]], let cwd = doc["working_directory"] as? String
        else { throw NotebookError("\(file): not a sweep definition of `ecgs sweep` (notebook, grid, working_directory)") }
        var axes: [(name: String, values: [String])] = []
        for axis in grid {
            guard axis.count == 2, let name = axis[0] as? String, let values = axis[1] as? [String], !values.isEmpty else {
                throw NotebookError("\(file): a grid entry is not [NAME, [values]]")
            }
            axes.append((name, values))
        }
        return SweepPlan(script: script, grid: SweepGrid(axes: axes), dir: dir, workingDirectory: cwd)
    }

    /// "SEED=1 RECIPE=post": a run's parameters for messages.
    static func describe(_ params: [(name: String, value: String)]) -> String {
        params.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }
}

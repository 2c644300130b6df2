import Foundation
import Engine
import Testing

@testable import Shell

/// `ecgs sweep`: every combination runs as its own `ecgs notebook`, failures are reported and the others
/// finish, `--resume` runs only what did not finish, glued values are collected with their parameters, the
/// summary is mean ± sample std over seeds, and `--slurm` writes an array script whose tasks run the same code.
@Suite struct SweepTests {
    static let notebook = """
        # %% Parameters
        SEED = 0
        MODE = "a"
        OUT = NOTEBOOK_OUTPUT

        # %% Score
        glue("seed_seen", SEED)
        if MODE == "bad" { nope = undefined_name }
        score = SEED * 10 + 2
        if MODE == "a" { score = score - 1 }
        glue("score", score)
        glue("mode", MODE)
        save_table(table({score: [score]}), OUT + "/score.csv")
        """

    static func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-sweep-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    func sweep(_ dir: String, _ args: [String]) throws -> (Int32, String) {
        try ChildProcess.run(TerminalTests.executable, ["sweep"] + args, directory: dir, environment: ["ECGS_CACHE": dir + "/cache"])
    }

    @Test func localSweepReportsFailuresResumesAndSummarises() throws {
        let dir = Self.tempDir()
        try Self.notebook.write(toFile: dir + "/nb.ecgs", atomically: true, encoding: .utf8)
        let grid = ["nb.ecgs", "--grid", "SEED=0,1,2", "--grid", "MODE=a,b,bad", "-o", "out", "--jobs", "2"]
        var (status, text) = try sweep(dir, grid)
        #expect(status == 1, "\(text)")
        for k in [2, 5, 8] {
            #expect(text.contains(String(format: "failed: run %03d (SEED=%d MODE=bad): ", k, k / 3)), "\(text)")
        }
        #expect(text.contains("unknown name 'undefined_name'"))
        #expect(text.contains("--grid SEED=0,1,2 --grid MODE=a,b,bad -o") && text.contains("--resume"), "\(text)")
        // Each run has its own folder, notebook, files and glued results.
        #expect(FileManager.default.fileExists(atPath: dir + "/out/runs/004/notebook.ipynb"))
        #expect(FileManager.default.fileExists(atPath: dir + "/out/runs/004/score.csv"))
        var results = try CSVFile.read(dir + "/out/results.csv")
        #expect(results.header == ["run", "state", "seconds", "SEED", "MODE", "seed_seen", "score", "mode", "message"])
        #expect(results.values("state") == ["done", "done", "failed", "done", "done", "failed", "done", "done", "failed"])
        #expect(results.values("score") == ["1", "2", "", "11", "12", "", "21", "22", ""])
        // What a failed run glued before it failed is kept.
        #expect(results.values("seed_seen") == ["0", "0", "0", "1", "1", "1", "2", "2", "2"])
        let summary = try CSVFile.read(dir + "/out/summary.csv")
        #expect(summary.header == ["MODE", "runs", "failed", "seed_seen_mean", "seed_seen_std", "score_mean", "score_std"])
        // score over SEED 0, 1, 2 for MODE a: 1, 11, 21 → mean 11, sample std 10.
        #expect(summary.rows[0] == ["a", "3", "0", "1", "1", "11", "10"])
        #expect(summary.rows[2] == ["bad", "0", "3", "nan", "nan", "nan", "nan"])

        // Running it again without --resume would overwrite: refused.
        (status, text) = try sweep(dir, grid)
        #expect(status != 0 && text.contains("already holds this sweep's runs"), "\(text)")
        // Another grid in the same folder: refused.
        (status, text) = try sweep(dir, ["nb.ecgs", "--grid", "SEED=0", "-o", "out"])
        #expect(status != 0 && text.contains("holds another sweep"), "\(text)")

        // Fixed notebook, --resume: only the three failed runs run again.
        let done = try String(contentsOfFile: dir + "/out/runs/000/status.json", encoding: .utf8)
        try Self.notebook.replacingOccurrences(of: "undefined_name", with: "1").write(
            toFile: dir + "/nb.ecgs", atomically: true, encoding: .utf8)
        (status, text) = try sweep(dir, grid + ["--resume"])
        #expect(status == 0, "\(text)")
        #expect(text.contains("skipping 6 finished runs") && text.contains("3 runs of"), "\(text)")
        #expect(try String(contentsOfFile: dir + "/out/runs/000/status.json", encoding: .utf8) == done)
        results = try CSVFile.read(dir + "/out/results.csv")
        #expect(results.values("state") == Array(repeating: "done", count: 9))
    }

    /// A run killed from outside (SIGKILL, as an out-of-memory kill) is marked failed; the others finish.
    @Test func aKilledRunIsMarkedFailedAndTheOthersFinish() throws {
        let dir = Self.tempDir()
        let marker = "kill-me-\(getpid())"
        try """
        # %% Parameters
        SEED = 0
        NAME = "x"
        # %%
        if NAME == "\(marker)" { while true { } }
        glue("seed", SEED)
        """.write(toFile: dir + "/nb.ecgs", atomically: true, encoding: .utf8)
        // Kills each looping run once it has started (the runs of the other NAME end by themselves).
        let finished = ManagedFlag()
        let killer = Thread {
            while !finished.value {
                Thread.sleep(forTimeInterval: 0.3)
                _ = try? ChildProcess.run("/usr/bin/pkill", ["-9", "-f", "NAME=\(marker)"], directory: dir)
            }
        }
        killer.start()
        defer { finished.value = true }
        let (status, text) = try sweep(dir, ["nb.ecgs", "--grid", "SEED=0,1", "--grid", "NAME=x,\(marker)", "-o", "out", "--jobs", "2"])
        #expect(status == 1, "\(text)")
        #expect(text.contains("failed: run 001 (SEED=0 NAME=\(marker)): killed by signal 9"), "\(text)")
        let results = try CSVFile.read(dir + "/out/results.csv")
        #expect(text.contains("failed: run 003 (SEED=1 NAME=\(marker)): killed by signal 9"), "\(text)")
        #expect(results.values("state") == ["done", "failed", "done", "failed"])
        #expect(results.values("seed")[0] == "0" && results.values("seed")[2] == "1")
    }

    @Test func gridTyposAndBadOptionsAreNamed() throws {
        let dir = Self.tempDir()
        try Self.notebook.write(toFile: dir + "/nb.ecgs", atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (
                ["nb.ecgs", "--grid", "SEDE=1,2", "-o", "o1"],
                "--grid SEDE: the Parameters cell of nb.ecgs does not set 'SEDE' (did you mean 'SEED'?)"
            ),
            (["nb.ecgs", "--grid", "SEED=1,,2", "-o", "o2"], "--grid 'SEED=1,,2': an empty value"),
            (["nb.ecgs", "--grid", "SEED=1,1", "-o", "o3"], "a value is repeated"),
            (["nb.ecgs", "--grid", "SEED=[1,2", "-o", "o4"], "unbalanced"),
            (["nb.ecgs", "-o", "o5"], "--grid NAME=v1,v2"),
            (["missing.ecgs", "--grid", "SEED=1", "-o", "o6"], "cannot read notebook 'missing.ecgs'"),
            (["--collect", "-o", "nowhere"], "holds no sweep"),
            (["nb.ecgs", "--grid", "SEED=1", "-o", "o7", "--slurm", "--sbatch", "time=1", "--dry-run"], "an sbatch option starts with '-'")
        ]
        for (args, message) in cases {
            let (status, text) = try sweep(dir, args)
            #expect(status != 0 && text.contains(message), "\(args): \(text)")
        }
    }

    @Test func slurmArrayTasksRunTheSameCodeAndCollect() throws {
        let dir = Self.tempDir()
        try Self.notebook.write(toFile: dir + "/nb.ecgs", atomically: true, encoding: .utf8)
        var (status, text) = try sweep(
            dir,
            ["nb.ecgs", "--grid", "SEED=0,1", "--grid", "MODE=\"x,y\",b", "-o", "out", "--slurm", "--dry-run", "--sbatch=--time=01:00:00"])
        #expect(status == 0, "\(text)")
        let script = try String(contentsOfFile: dir + "/out/sweep.sbatch", encoding: .utf8)
        #expect(script.contains("#SBATCH --array=0-3\n") && script.contains("#SBATCH --time=01:00:00\n"), "\(script)")
        #expect(script.contains("#SBATCH --output=\(dir)/out/logs/%A_%a.out\n#SBATCH --chdir=\(dir)\n"), "\(script)")
        #expect(script.contains("sweep --run \"$SLURM_ARRAY_TASK_ID\" -o '\(dir)/out'"), "\(script)")
        // What each array task runs (Slurm sets SLURM_ARRAY_TASK_ID), then the collection.
        for k in 0..<4 {
            (status, text) = try ChildProcess.run(
                "/bin/bash", [dir + "/out/sweep.sbatch"], directory: dir, environment: ["SLURM_ARRAY_TASK_ID": "\(k)"])
            #expect(status == 0, "\(text)")
        }
        (status, text) = try sweep(dir, ["--collect", "-o", "out"])
        #expect(status == 0, "\(text)")
        let results = try CSVFile.read(dir + "/out/results.csv")
        #expect(results.values("MODE") == ["x,y", "b", "x,y", "b"])
        #expect(results.values("score") == ["2", "2", "12", "12"])
        // A task that never started (a node that never ran it): collected as not run, exit status 1, and a resumed
        // Slurm sweep submits only it.
        try FileManager.default.removeItem(atPath: dir + "/out/runs/002/status.json")
        (status, text) = try sweep(dir, ["--collect", "-o", "out"])
        #expect(status == 1 && text.contains("not finished: 002") && text.contains("--resume"), "\(text)")
        #expect(try CSVFile.read(dir + "/out/results.csv").values("state") == ["done", "done", "not run", "done"])
        (status, text) = try sweep(
            dir, ["nb.ecgs", "--grid", "SEED=0,1", "--grid", "MODE=\"x,y\",b", "-o", "out", "--slurm", "--dry-run", "--resume"])
        #expect(text.contains("#SBATCH --array=2\n"), "\(text)")
    }

    @Test func gridValuesSplitOutsideBracketsAndQuotes() throws {
        #expect(try SweepGrid.split("[1, 0.3],[0.1]", option: "F") == ["[1, 0.3]", "[0.1]"])
        #expect(try SweepGrid.split("\"a,b\", c", option: "M") == ["a,b", "c"])
        let grid = try SweepGrid(options: ["A=1,2", "B=x,y,z"])
        #expect(grid.count == 6)
        #expect(grid.runs.map { SweepPlan.describe($0) }.prefix(4) == ["A=1 B=x", "A=1 B=y", "A=1 B=z", "A=2 B=x"])
        #expect(SweepCollector.sampleStd([1, 11, 21]) == 10)
        #expect(SweepCollector.sampleStd([3]).isNaN)
    }
}

/// A flag shared with a helper thread.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var v = false
    var value: Bool {
        get { lock.lock(); defer { lock.unlock() }; return v }
        set { lock.lock(); v = newValue; lock.unlock() }
    }
}

extension CSVFile {
    /// The fields of column `name` ([] when there is none), for the checks.
    func values(_ name: String) -> [String] {
        guard let i = header.firstIndex(of: name) else { return [] }
        return rows.map { i < $0.count ? $0[i] : "" }
    }
}

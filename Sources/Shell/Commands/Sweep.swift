import ArgumentParser
import DSL
import Engine
import Foundation
import Synchronization

/// `ecgs sweep NOTEBOOK --grid NAME=v1,v2 ... -o DIR`: one `ecgs notebook` run per combination of the
/// notebook's parameters (locally N at a time, or as a Slurm array), then the values each run glued,
/// collected with its parameters into DIR/results.csv and DIR/summary.csv (mean ± std over seeds).
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a notebook over a grid of its parameters (locally or as a Slurm array) and collect what each run glued.",
        discussion: """
            Each run is `ecgs notebook NOTEBOOK -p NAME=VALUE...` in DIR/runs/NNN/ (notebook.ipynb, .html, its files, \
            log.txt, status.json). A run that fails or is killed is reported and the others go on; --resume runs again \
            what did not finish. With --slurm the runs become one `sbatch --array` job; --collect gathers them after it ends.
            """)
    @Argument(help: "The notebook script (.ecgs with a '# %% Parameters' cell); not needed with --collect or --run.")
    var script: String?
    @Option(help: ArgumentHelp("A parameter and its values (repeat for a grid).", valueName: "NAME=v1,v2,..."))
    var grid: [String] = []
    @Option(name: .shortAndLong, help: "The sweep's folder.") var output: String
    @Option(help: "Runs at a time on this machine.") var jobs = 1
    @Flag(help: "Finish a sweep in DIR: run what did not finish, skip the finished runs.") var resume = false
    @Flag(help: "Submit the runs as one Slurm array job (sbatch) instead of running them here.") var slurm = false
    @Option(
        name: .customLong("sbatch"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp("An sbatch option for --slurm (repeat), e.g. --sbatch=--time=02:00:00.", valueName: "OPTION"))
    var sbatchOptions: [String] = []
    @Flag(help: "With --slurm: write and print the sbatch script, submit nothing.") var dryRun = false
    @Flag(help: "Collect the runs in DIR (after a Slurm job ended) into results.csv and summary.csv.") var collect = false
    @Option(help: ArgumentHelp("Parameters the summary averages over (default: the grid's names containing 'seed').", valueName: "NAME"))
    var over: [String] = []
    @Option(name: .customLong("run"), help: .hidden) var runIndex: Int?

    func run() throws {
        Interrupt.install()
        let dir = URL(fileURLWithPath: output).standardizedFileURL.path
        if let k = runIndex { return try runOne(k, dir: dir) }
        if collect {
            guard let plan = try SweepPlan.read(dir: dir) else { throw ValidationError("\(dir) holds no sweep (no sweep.json)") }
            return try report(plan)
        }
        let plan = try makePlan(dir: dir)
        let runs = plan.runs
        let todo = runs.filter { !(resume && $0.status?.state == .done) }
        if resume && todo.count < runs.count { print("skipping \(runs.count - todo.count) finished runs") }
        if slurm {
            let batch = SlurmScript(plan: plan, indices: todo.map(\.index), options: sbatchOptions)
            if dryRun {
                print(try batch.write(executable: EcgsExecutable.path), terminator: "")
                print("wrote \(batch.path) (not submitted: --dry-run)")
            } else {
                let id = try batch.submit(executable: EcgsExecutable.path)
                print("submitted Slurm job \(id): \(todo.count) array tasks (logs in \(dir)/logs)")
                print("when they end: ecgs sweep --collect -o \(dir)")
            }
            return
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        runLocally(todo, plan: plan)
        try report(plan)
    }

    /// Checks the grid against the notebook's Parameters cell and the folder against an earlier sweep.
    func makePlan(dir: String) throws -> SweepPlan {
        guard let script else { throw ValidationError("give the notebook to sweep (or --collect / --run with -o DIR)") }
        let path = URL(fileURLWithPath: script).standardizedFileURL.path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read notebook '\(script)'")
        }
        do {
            let grid = try SweepGrid(options: grid)
            var check = NotebookRunner(path: script, allowErrors: false, timeout: nil)
            check.parameters = grid.runs[0]
            check.option = "--grid"
            _ = try check.cells(text)
            let plan = SweepPlan(script: path, grid: grid, dir: dir, workingDirectory: FileManager.default.currentDirectoryPath)
            if let earlier = try SweepPlan.read(dir: dir) {
                guard earlier == plan else {
                    throw NotebookError(
                        "\(dir) holds another sweep (\(earlier.script), \(earlier.grid.axes.map(\.name).joined(separator: ", "))): "
                            + "choose another -o")
                }
                let started = plan.runs.contains { $0.status != nil }
                guard resume || !started else {
                    throw NotebookError("\(dir) already holds this sweep's runs: --resume finishes it (finished runs are skipped)")
                }
            }
            try plan.write()
            return plan
        } catch let e as NotebookError { throw ValidationError(e.description) }
    }

    /// Runs `todo` with at most `jobs` at a time; a Ctrl-C stops launching (the running ones stop too).
    func runLocally(_ todo: [SweepRun], plan: SweepPlan) {
        let slots = DispatchSemaphore(value: jobs), group = DispatchGroup()
        let finished = Mutex(0) // runs ended, counted and printed under the lock
        print("\(todo.count) runs of \(plan.script), \(jobs) at a time, in \(plan.dir)/runs")
        for run in todo {
            slots.wait()
            if Interrupt.isRequested { slots.signal(); break }
            group.enter()
            Thread.detachNewThread {
                let status = run.execute(script: plan.script, in: plan.workingDirectory, sharesCores: jobs > 1)
                let outcome =
                    status.state == .done
                    ? String(format: "done in %.1f s", status.seconds) : "FAILED: \(status.message)"
                finished.withLock { count in
                    count += 1
                    print("[\(count)/\(todo.count)] \(run.label): \(outcome)")
                    fflush(stdout)
                }
                slots.signal()
                group.leave()
            }
        }
        group.wait()
    }

    /// One run of the sweep in DIR (a Slurm array task).
    func runOne(_ k: Int, dir: String) throws {
        guard let plan = try SweepPlan.read(dir: dir) else { throw ValidationError("\(dir) holds no sweep (no sweep.json)") }
        let runs = plan.runs
        guard runs.indices.contains(k) else { throw ValidationError("--run \(k): the sweep has runs 0–\(runs.count - 1)") }
        let status = runs[k].execute(script: plan.script, in: plan.workingDirectory)
        print("\(runs[k].label): \(status.state == .done ? "done" : "FAILED: \(status.message)")")
        if status.state != .done { throw ExitCode(1) }
    }

    /// Collects and prints; the exit status is 1 when a run failed or did not finish.
    func report(_ plan: SweepPlan) throws {
        let names = over.isEmpty ? plan.grid.axes.map(\.name).filter { $0.lowercased().contains("seed") } : over
        for n in names where !plan.grid.axes.contains(where: { $0.name == n }) {
            throw ValidationError("--over \(n): not a parameter of the sweep (\(plan.grid.axes.map(\.name).joined(separator: ", ")))")
        }
        let c = try SweepCollector(plan: plan, over: names).collect()
        try c.results.write(plan.dir + "/results.csv")
        try c.summary.write(plan.dir + "/summary.csv")
        print(Display.block(.table(c.summary)), terminator: "")
        print("wrote \(plan.dir)/results.csv and \(plan.dir)/summary.csv")
        for f in c.failed { print("failed: \(f.run.label): \(f.message) (log: \(f.run.dir)/log.txt)") }
        if !c.pending.isEmpty { print("not finished: \(c.pending.map { String(format: "%03d", $0.index) }.joined(separator: ", "))") }
        if !c.failed.isEmpty || !c.pending.isEmpty {
            func quoted(_ s: String) -> String { SlurmScript.shellWord(s, quoteAlways: false) }
            let grid = plan.grid.axes.map { "--grid " + quoted("\($0.name)=\($0.values.joined(separator: ","))") }.joined(separator: " ")
            print("to run again what did not finish: ecgs sweep \(quoted(plan.script)) \(grid) -o \(quoted(plan.dir)) --resume")
            throw ExitCode(1)
        }
    }
}

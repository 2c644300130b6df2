import Engine
import Foundation

/// The `sbatch --array` script of a sweep: one array task per run still to do, each running
/// `ecgs sweep --run K -o DIR` (the same code as a local run: a child `ecgs notebook`, its status file),
/// logs per task in DIR/logs/, and the user's sbatch options as `#SBATCH` lines. Slurm schedules; ecgs
/// only writes the script and hands it to `sbatch`.
struct SlurmScript {
    let plan: SweepPlan
    /// The runs to submit (all of them, or those left by `--resume`).
    let indices: [Int]
    /// sbatch options, e.g. `--time=02:00:00`, `--cpus-per-task=8`, `--partition=gpu`.
    let options: [String]

    var path: String { plan.dir + "/sweep.sbatch" }

    /// `0-5` for consecutive runs, else `0,3,4` (Slurm's --array syntax).
    var arraySpec: String {
        guard let first = indices.first, let last = indices.last else { return "" }
        if first == last { return "\(first)" }
        if indices == Array(first...last) { return "\(first)-\(last)" }
        return indices.map(String.init).joined(separator: ",")
    }

    func text(executable: String) throws -> String {
        for o in options where !o.hasPrefix("-") || o.contains("\n") {
            throw NotebookError("--sbatch '\(o)': an sbatch option starts with '-' (e.g. --sbatch=--time=02:00:00)")
        }
        let name = ((plan.script as NSString).lastPathComponent as NSString).deletingPathExtension
        return
            ([
                "#!/bin/bash", "# Written by ecgs sweep: \(indices.count) run\(indices.count == 1 ? "" : "s") of \(plan.script)",
                "#SBATCH --job-name=ecgs-sweep-\(name)", "#SBATCH --array=\(arraySpec)",
                "#SBATCH --output=\(plan.dir)/logs/%A_%a.out", "#SBATCH --chdir=\(plan.workingDirectory)"
            ] + options.map { "#SBATCH \($0)" } + [
                "set -euo pipefail",
                "exec \(Self.shellWord(executable)) sweep --run \"$SLURM_ARRAY_TASK_ID\" -o \(Self.shellWord(plan.dir))"
            ]).joined(separator: "\n") + "\n"
    }

    /// `s` as one word for bash: in single quotes (always, or only when it holds other than letters, digits
    /// and `_-.,/=+:@`), a quote inside as `'\''`.
    static func shellWord(_ s: String, quoteAlways: Bool = true) -> String {
        if !quoteAlways && !s.isEmpty && s.allSatisfy({ $0.isLetter || $0.isNumber || "_-.,/=+:@".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Writes the script (and the logs folder it names); returns its text.
    @discardableResult
    func write(executable: String) throws -> String {
        let script = try text(executable: executable)
        try FileManager.default.createDirectory(atPath: plan.dir + "/logs", withIntermediateDirectories: true)
        try AtomicFile.write(Data(script.utf8), to: path, op: "sweep")
        return script
    }

    /// Writes the script and submits it with `sbatch --parsable`; returns the job id.
    func submit(executable: String) throws -> String {
        try write(executable: executable)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sbatch", "--parsable", path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let id = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            if p.terminationStatus == 127 {
                throw NotebookError("sbatch was not found: --slurm needs Slurm's sbatch on PATH (--dry-run writes and prints the script)")
            }
            throw NotebookError("sbatch refused \(path): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return id.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

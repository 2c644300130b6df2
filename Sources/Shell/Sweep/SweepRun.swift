import Engine
import Foundation

/// One run of a sweep: `ecgs notebook` on the sweep's notebook with this combination's `-p` values, in its
/// own folder, as a child process (its output to log.txt), so that a run that crashes, is killed or fills
/// its disk fails alone. Its outcome is `status.json` (state, exit status, message, seconds), written
/// atomically when it ends; a run without one never finished and is run again by `--resume`.
struct SweepRun {
    enum State: String { case done, failed }

    struct Status {
        var state: State
        var message: String
        var seconds: Double
    }

    let index: Int
    let parameters: [(name: String, value: String)]
    let dir: String

    var statusFile: String { dir + "/status.json" }
    var notebook: String { dir + "/notebook.ipynb" }
    var resultsFile: String { GluedResults.path(forNotebook: notebook) }
    var label: String { String(format: "run %03d", index) + " (" + SweepPlan.describe(parameters) + ")" }

    /// The status a finished run left (nil: never ran, or was stopped before it ended).
    var status: Status? {
        guard let data = FileManager.default.contents(atPath: statusFile),
            let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let state = (doc["state"] as? String).flatMap(State.init)
        else { return nil }
        return Status(state: state, message: doc["message"] as? String ?? "", seconds: doc["seconds"] as? Double ?? 0)
    }

    /// The command line of the run (its notebook writes its files next to notebook.ipynb).
    func arguments(script: String) -> [String] {
        ["notebook", script, "-o", notebook, "-o", dir + "/notebook.html"] + parameters.flatMap { ["-p", "\($0.name)=\($0.value)"] }
    }

    /// Runs the notebook to its end and records the outcome; never throws (a failure is the run's state).
    /// `sharesCores`: other runs go on at the same time on this machine, so this one does not bind its threads to
    /// the CPUs (every run would bind to the same ones).
    func execute(script: String, in workingDirectory: String, sharesCores: Bool = false) -> Status {
        let t0 = Date()
        // What an earlier attempt left must not be collected as this one's.
        for f in [statusFile, resultsFile] { try? FileManager.default.removeItem(atPath: f) }
        var status: Status
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let log = dir + "/log.txt"
            guard FileManager.default.createFile(atPath: log, contents: nil), let handle = FileHandle(forWritingAtPath: log) else {
                throw EngineError("sweep", "cannot write \(log)")
            }
            defer { try? handle.close() }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: EcgsExecutable.path)
            p.arguments = arguments(script: script)
            p.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
            p.standardOutput = handle
            p.standardError = handle
            p.standardInput = FileHandle.nullDevice
            if sharesCores {
                var environment = ProcessInfo.processInfo.environment
                environment[ThreadPlacement.environmentKey] = "0"
                p.environment = environment
            }
            try p.run()
            p.waitUntilExit()
            let code = p.terminationStatus
            if p.terminationReason == .uncaughtSignal {
                status = Status(state: .failed, message: "killed by signal \(code)", seconds: Date().timeIntervalSince(t0))
            } else if code != 0 {
                status = Status(
                    state: .failed, message: Self.lastError(log) ?? "exit status \(code)", seconds: Date().timeIntervalSince(t0))
            } else {
                status = Status(state: .done, message: "", seconds: Date().timeIntervalSince(t0))
            }
        } catch {
            status = Status(state: .failed, message: "\(error)", seconds: Date().timeIntervalSince(t0))
        }
        let doc: [String: Any] = ["state": status.state.rawValue, "message": status.message, "seconds": status.seconds]
        do {
            try AtomicFile.write(try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys]), to: statusFile, op: "sweep")
        } catch {
            status = Status(state: .failed, message: "cannot record the run's status: \(error)", seconds: status.seconds)
        }
        return status
    }

    /// The first error line of a failed run's log (`file:line:col: error: …`, or `ecgs: error: …`).
    static func lastError(_ log: String) -> String? {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first(where: { $0.contains("error:") || $0.hasPrefix("Error:") }).map {
            String($0.trimmingCharacters(in: .whitespaces).prefix(300))
        }
    }
}

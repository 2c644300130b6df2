import Foundation
import Testing

/// A process killed with SIGKILL in the middle of writing never leaves a truncated file in place:
/// the destination holds either the previous complete file or the new complete one.
@Suite(.serialized) struct KillTests {
    let dir: String = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-kill-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            .path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    /// `pause`: ECGS_WRITE_PAUSE_MS, a pause halfway through each file written, so kills land mid-write.
    /// `stderr`: where the process's standard error goes (discarded by default).
    func start(_ args: [String], pause: Int = 0, stderr: Pipe? = nil) throws -> Process {
        let p = Process()
        if pause > 0 { p.environment = ProcessInfo.processInfo.environment.merging(["ECGS_WRITE_PAUSE_MS": "\(pause)"]) { $1 } }
        p.executableURL = URL(fileURLWithPath: TerminalTests.executable)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = stderr ?? FileHandle.nullDevice
        try p.run()
        return p
    }

    func killAfter(_ p: Process, seconds: Double) {
        Thread.sleep(forTimeInterval: seconds)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// Waits until `p` has a temporary file for one of `names` (a write in progress: with
    /// ECGS_WRITE_PAUSE_MS it stays half-written for that long), waits `extra` seconds, kills it.
    /// Returns whether the kill landed during a write.
    func killMidWrite(_ p: Process, _ names: [String], extra: Double = 0) -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && p.isRunning {
            if names.contains(where: { n in temporaries(n).contains { $0.contains(".tmp-\(p.processIdentifier)-") } }) {
                killAfter(p, seconds: extra)
                return true
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        killAfter(p, seconds: 0)
        return false
    }

    func temporaries(_ name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("." + name + ".tmp-") }
    }

    /// A script saves the same model over and over, each write pausing 300 ms halfway; each kill lands
    /// at a random point of a write. The file must stay byte-identical.
    @Test func killedModelSaveLeavesTheCompleteFile() throws {
        let model = dir + "/m.safetensors"
        let script = dir + "/save.ecgs"
        try """
        m = net1d(preset="small", classes=71, seed=3)
        while true { save(m, "\(model)") }
        """.write(toFile: script, atomically: true, encoding: .utf8)
        // the first run writes the reference file
        let first = try start(["run", script])
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: model) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        killAfter(first, seconds: 0)
        let reference = try Data(contentsOf: URL(fileURLWithPath: model))
        var rng = SystemRandomNumberGenerator()
        for round in 0..<4 {
            let p = try start(["run", script], pause: 300)
            #expect(killMidWrite(p, ["m.safetensors"], extra: Double.random(in: 0...0.25, using: &rng)), "round \(round): no write seen")
            let now = try Data(contentsOf: URL(fileURLWithPath: model))
            // (a Bool, not `now == reference`: swift-testing would diff two 9 MB values on failure)
            let same = now == reference
            #expect(same, "round \(round): \(now.count) bytes, expected \(reference.count)")
        }
        // a killed process may leave its temporary file; a later process's first write into the folder
        // removes those of dead processes
        let dead = try start(["run", "/dev/null"])
        dead.waitUntilExit()
        let stale = dir + "/.m.safetensors.tmp-\(dead.processIdentifier)-1"
        #expect(FileManager.default.createFile(atPath: stale, contents: Data(count: 100)))
        let p = try start(["run", script])
        // Its first save removes the stale file (a sanitizer build under load took more than 1.5 s to get there).
        let removal = Date().addingTimeInterval(60)
        while FileManager.default.fileExists(atPath: stale) && Date() < removal { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 0.5)
        let left = temporaries("m.safetensors")
        killAfter(p, seconds: 0)
        #expect(!FileManager.default.fileExists(atPath: stale), "stale temporary not removed")
        #expect(left.count <= 1, "temporaries: \(left)")
        let same = try Data(contentsOf: URL(fileURLWithPath: model)) == reference
        #expect(same)
    }

    /// A notebook replay killed at any point leaves the previous complete notebooks in place.
    @Test func killedNotebookReplayLeavesThePreviousNotebook() throws {
        let script = dir + "/nb.ecgs"
        try """
        # %% [markdown]
        # A notebook to kill
        # %%
        x = linspace(0, 6.28, 2000)
        plot(x, x * x, title="square")
        # %%
        s = 0
        for i in range(300000) { s = s + i }
        s
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let outputs = [dir + "/nb.ipynb", dir + "/nb.html"]
        let args = ["notebook", script] + outputs.flatMap { ["-o", $0] }
        let first = try start(args)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let before = try outputs.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        for k in 1...4 { // kill while the .ipynb, then while the .html is half-written
            let p = try start(args, pause: 400)
            #expect(killMidWrite(p, [k % 2 == 1 ? "nb.ipynb" : "nb.html"], extra: 0.1), "kill \(k): no write seen")
            for (o, old) in zip(outputs, before) {
                let now = try Data(contentsOf: URL(fileURLWithPath: o))
                if now != old { // replaced by a complete new notebook: it must parse and hold every cell
                    if o.hasSuffix(".ipynb") {
                        let json = try JSONSerialization.jsonObject(with: now) as? [String: Any]
                        #expect((json?["cells"] as? [Any])?.count == 3, "kill \(k): \(o) incomplete")
                    } else {
                        #expect(String(decoding: now, as: UTF8.self).hasSuffix("</html>\n"), "kill \(k): \(o) truncated")
                    }
                }
            }
        }
    }

    /// Ctrl-C (SIGINT) during a notebook replay stops the running cell, keeps the finished ones and
    /// writes complete notebooks with the interruption recorded; exit status 130.
    @Test func interruptedNotebookKeepsFinishedCells() throws {
        let script = dir + "/int.ecgs"
        try """
        # %% first
        answer = 6 * 7
        answer
        # %% endless
        while true { answer = answer + 0 }
        # %% never reached
        answer + 1
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let out = dir + "/int.ipynb"
        let err = Pipe()
        let p = try start(["notebook", script, "-o", out], stderr: err)
        // the runner announces each cell on stderr: interrupt once the endless one has started
        var seen = ""
        let deadline = Date().addingTimeInterval(60)
        while !seen.contains("[2] endless") && Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("[2] endless"), "\(seen)")
        Thread.sleep(forTimeInterval: 0.2)
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let cells = try #require(json?["cells"] as? [[String: Any]])
        #expect(cells.count == 3)
        let outputs = cells.map { ($0["outputs"] as? [[String: Any]]) ?? [] }
        #expect("\(outputs[0])".contains("42"))
        #expect("\(outputs[1])".contains("interrupted"))
        #expect(outputs[2].isEmpty && cells[2]["execution_count"] is NSNull)
    }
}

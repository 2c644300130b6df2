import Engine
import Foundation
import Testing

/// Data-parallel training over Open MPI (`mpirun`, installed by scripts/bootstrap): two ranks with the same
/// global batch train the same model as one process, only rank 0 prints and writes, and a failing rank stops
/// the job with its message.
@Suite(.serialized) struct DataParallelTests {
    static let mpirun = "/usr/bin/mpirun"
    /// Under `scripts/sanitize address` the ranks run without LeakSanitizer (AddressSanitizer's other checks stay on):
    /// Open MPI leaks at exit, 121 KB in about 3,350 allocations a rank, all in libmpi, libopen-pal and the plugins
    /// they unload (which LeakSanitizer cannot name, so no suppression can select them).
    static var launch: [String] {
        let sanitizer = ProcessInfo.processInfo.environment["ECGS_SANITIZER"]
        return ["--allow-run-as-root", "--oversubscribe"]
            + (sanitizer == "address" ? ["-x", "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1"] : [])
    }

    /// The post-training recipe (preview probe on cached features, then fine-tuning with stochastic depth and
    /// batch norm) on the PTB-XL sample, then evaluation and embeddings (split by rank and gathered).
    static let script = """
        ds = ptbxl("data/ptbxl-sample", task="superdiagnostic", rate=100)
        pre = load_model("models/small-synthetic.safetensors", classes=len(ds.classes))
        run = finetune(pre, ds, recipe="post", epochs=1, batch=16, seed=3)
        ev = evaluate(run.model, ds.test, bootstrap=20)
        e = embed(run.model, ds.test)
        print("RESULT", run.best_val_auroc, ev.auroc, e.shape[0], e.shape[1])
        save(run.model, ARGS[0])
        save_npy(e, ARGS[0] + ".npy")
        """

    /// Three epochs with per-epoch checkpoints in ARGS[1], resumed when ARGS[2] is "resume".
    static let resumable = """
        ds = ptbxl("data/ptbxl-sample", task="superdiagnostic", rate=100)
        pre = load_model("models/small-synthetic.safetensors", classes=len(ds.classes))
        run = finetune(pre, ds, recipe="post", epochs=3, batch=16, seed=5, checkpoint=ARGS[1], resume=len(ARGS) > 2)
        print("EPOCHS", len(run.history))
        save(run.model, ARGS[0])
        """

    static func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-mpi-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    static func result(_ text: String) -> [Double] {
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("RESULT ") }
        return lines.count == 1 ? lines[0].split(separator: " ").dropFirst().compactMap { Double($0) } : []
    }

    /// numpy.allclose(a, b, rtol=1e-4, atol=1e-5) for every tensor (measured: weights within 4e-8, embeddings 1.3e-5).
    static func expectClose(_ a: [String: Tensor], _ b: [String: Tensor], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.keys.sorted() == b.keys.sorted(), sourceLocation: sourceLocation)
        var worst = 0.0, worstName = "", mismatches = 0
        for (name, t) in a {
            guard let u = b[name], u.shape == t.shape else { Issue.record("\(name) differs in shape"); continue }
            for i in 0..<t.count {
                let d = Double(abs(t.data[i] - u.data[i]))
                if d > 1e-5 + 1e-4 * Double(abs(t.data[i])) { mismatches += 1 }
                if d > worst { (worst, worstName) = (d, name) }
            }
        }
        #expect(
            mismatches == 0, "\(mismatches) values differ; the largest difference is \(worst) in \(worstName)",
            sourceLocation: sourceLocation)
    }

    @Test func twoRanksTrainTheSameModelAsOneProcess() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.mpirun), "Open MPI is missing: run scripts/bootstrap")
        let dir = Self.tempDir(), root = CommandLineTests.root
        try Self.script.write(toFile: dir + "/dp.ecgs", atomically: true, encoding: .utf8)
        let (s1, one) = try ChildProcess.run(TerminalTests.executable, ["run", dir + "/dp.ecgs", dir + "/one.safetensors"], directory: root)
        #expect(s1 == 0, "\(one)")
        let (s2, two) = try ChildProcess.run(
            Self.mpirun, Self.launch + ["-np", "2", TerminalTests.executable, "run", dir + "/dp.ecgs", dir + "/two.safetensors"],
            directory: root, timeout: 600)
        #expect(s2 == 0, "\(two)")
        // Only rank 0 prints: one result line, one data-parallel report per phase.
        let r1 = Self.result(one), r2 = Self.result(two)
        #expect(r1.count == 4 && r2.count == 4, "\(one)\n\(two)")
        #expect(two.components(separatedBy: "finetune: data parallel over 2 ranks").count == 2, "\(two)")
        #expect(two.components(separatedBy: "preview: data parallel over 2 ranks").count == 2, "\(two)")
        guard r1.count == 4, r2.count == 4 else { return }
        #expect(abs(r1[0] - r2[0]) <= 1e-4, "validation AUROC \(r1[0]) vs \(r2[0])")
        #expect(abs(r1[1] - r2[1]) <= 1e-4, "test AUROC \(r1[1]) vs \(r2[1])")
        #expect(r1[2] == r2[2] && r1[3] == r2[3])
        // The weights and batch-norm statistics after the same steps, and the embeddings of the test fold (each
        // rank embeds its share; the rows are gathered): equal within float round-off.
        var a = try ModelIO.readState(path: dir + "/one.safetensors"), b = try ModelIO.readState(path: dir + "/two.safetensors")
        a["embeddings"] = try NPY.read(dir + "/one.safetensors.npy")
        b["embeddings"] = try NPY.read(dir + "/two.safetensors.npy")
        Self.expectClose(a, b)
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func aRankThatFailsStopsEveryRankWithItsMessage() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.mpirun), "Open MPI is missing: run scripts/bootstrap")
        let dir = Self.tempDir(), root = CommandLineTests.root
        // Rank 0 trains for 500 epochs; rank 1 trains the first one with it, then fails, while rank 0 waits for it
        // in the second epoch's first collective.
        try Self.script.replacingOccurrences(of: "epochs=1", with: "epochs=500").write(
            toFile: dir + "/long.ecgs", atomically: true, encoding: .utf8)
        let bad = Self.script.components(separatedBy: "\n").prefix(3).joined(separator: "\n") + "\ny = undefined_name\n"
        try bad.write(toFile: dir + "/bad.ecgs", atomically: true, encoding: .utf8)
        let t0 = Date()
        let (status, text) = try ChildProcess.run(
            Self.mpirun,
            Self.launch + [
                "-np", "1", TerminalTests.executable, "run", dir + "/long.ecgs", dir + "/m.safetensors", ":", "-np", "1",
                TerminalTests.executable, "run", dir + "/bad.ecgs"
            ], directory: root, timeout: 300)
        let seconds = Date().timeIntervalSince(t0)
        #expect(status != 0, "\(text)")
        #expect(text.contains("unknown name 'undefined_name'"), "\(text)")
        #expect(text.contains("ecgs: rank 1 of 2: failed with exit status 1 (its error is above); stopping every rank"), "\(text)")
        #expect(seconds < 120, "the job took \(seconds) s to stop")
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.safetensors"))
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func aKilledRankStopsTheJobAndTwoRanksResumeFromItsLastEpoch() throws {
        let dir = Self.tempDir(), root = CommandLineTests.root
        try Self.resumable.write(toFile: dir + "/r.ecgs", atomically: true, encoding: .utf8)
        let (s1, one) = try ChildProcess.run(
            TerminalTests.executable, ["run", dir + "/r.ecgs", dir + "/one.safetensors", dir + "/ckpt-one"], directory: root)
        #expect(s1 == 0 && one.contains("EPOCHS 8"), "\(one)") // 5 preview epochs + 3 fine-tuning epochs
        // Two ranks; once the first epoch's checkpoint is written, one rank is killed.
        let job = Process()
        job.executableURL = URL(fileURLWithPath: Self.mpirun)
        job.arguments =
            Self.launch + ["-np", "2", TerminalTests.executable, "run", dir + "/r.ecgs", dir + "/two.safetensors", dir + "/ckpt"]
        job.currentDirectoryURL = URL(fileURLWithPath: root)
        let pipe = Pipe()
        job.standardOutput = pipe
        job.standardError = pipe
        try job.run()
        let t0 = Date()
        while !FileManager.default.fileExists(atPath: dir + "/ckpt/last.safetensors") && job.isRunning && Date().timeIntervalSince(t0) < 300
        {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let ranks = try ChildProcess.run("/usr/bin/pgrep", ["-P", "\(job.processIdentifier)", "ecgs"], directory: root).output
            .split(separator: "\n").compactMap { Int32($0) }
        #expect(ranks.count == 2, "ranks: \(ranks)")
        if let victim = ranks.last { kill(victim, SIGKILL) }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        job.waitUntilExit()
        #expect(job.terminationStatus != 0, "\(text)")
        #expect(text.contains("exited on signal 9"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/two.safetensors"))
        // What finished is kept: the run resumes on two ranks from the last checkpoint and ends where one process did.
        let (s3, resumed) = try ChildProcess.run(
            Self.mpirun,
            Self.launch + ["-np", "2", TerminalTests.executable, "run", dir + "/r.ecgs", dir + "/two.safetensors", dir + "/ckpt", "resume"],
            directory: root, timeout: 600)
        #expect(s3 == 0 && resumed.contains("resuming from") && resumed.contains("EPOCHS 8"), "\(resumed)")
        Self.expectClose(try ModelIO.readState(path: dir + "/one.safetensors"), try ModelIO.readState(path: dir + "/two.safetensors"))
        try? FileManager.default.removeItem(atPath: dir)
    }
}

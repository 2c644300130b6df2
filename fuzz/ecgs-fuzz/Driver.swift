#if !ECGS_LIBFUZZER
    import Engine
    import Foundation

    /// `ecgs-fuzz` in an ordinary build (no fuzzer runtime):
    ///   ecgs-fuzz HARNESS --replay FILE…          run kept inputs (crash regressions; the tests do this)
    ///   ecgs-fuzz HARNESS --export-seeds DIR      write the harness's seed files, for libFuzzer's corpus
    ///   ecgs-fuzz HARNESS --seconds S [--seed N] [--out DIR]   a seeded mutation loop (a fallback where
    ///                                             libFuzzer is not available; scripts/fuzz uses libFuzzer)
    /// A crash, a hang (over 5 s) or an abort in the loop is a failure: the input is written to OUT/current
    /// before each run, so a driving script keeps it when the process dies.
    @main
    enum Driver {
        nonisolated(unsafe) static var started = Date()
        nonisolated(unsafe) static var busy = false

        static func main() {
            _ = repo // resolved from the launch folder, before the scratch folder becomes current
            var args = Array(CommandLine.arguments.dropFirst())
            func option(_ name: String) -> String? {
                guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
                defer { args.removeSubrange(i...(i + 1)) }
                return args[i + 1]
            }
            let seconds = Double(option("--seconds") ?? "60") ?? 60
            let seed = UInt64(option("--seed") ?? "1") ?? 1
            let outArg = option("--out") ?? "out/fuzz"
            let exportDir = option("--export-seeds")
            let out = outArg.hasPrefix("/") ? outArg : repo + "/" + outArg
            let launchDir = FileManager.default.currentDirectoryPath
            let replay = (args.firstIndex(of: "--replay").map { Array(args[($0 + 1)...]) } ?? []).map {
                $0.hasPrefix("/") ? $0 : launchDir + "/" + $0
            }
            if let i = args.firstIndex(of: "--replay") { args.removeSubrange(i...) }
            guard let name = args.first, let harness = harnesses.first(where: { $0.name == name }) else {
                FileHandle.standardError.write(
                    Data(
                        ("usage: ecgs-fuzz HARNESS (--replay FILE… | --export-seeds DIR | --seconds S [--seed N] [--out DIR])\nharnesses: "
                            + "\(harnesses.map(\.name).joined(separator: " "))\n").utf8))
                exit(2)
            }
            if let exportDir {
                let d = exportDir.hasPrefix("/") ? exportDir : launchDir + "/" + exportDir
                try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
                let seeds = harness.seeds()
                for (i, s) in seeds.enumerated() { write(s, d + "/seed-\(i)") }
                print("\(name): \(seeds.count) seed files in \(d)")
                exit(seeds.isEmpty ? 2 : 0)
            }
            let dir = out + "/" + name
            let scratch = NSTemporaryDirectory() + "/ecgs-fuzz-\(name)-\(getpid())"
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            _ = FileManager.default.changeCurrentDirectoryPath(scratch)
            setenv("ECGS_CACHE", scratch + "/cache", 1)
            // Inputs asking for more than 256 MiB in one tensor get the memory guard's error, as on a smaller machine.
            MemoryGuard.limitBytes = 256 << 20

            if !replay.isEmpty { // regression check of kept inputs
                for f in replay {
                    guard let d = FileManager.default.contents(atPath: f) else { print("cannot read \(f)"); exit(2) }
                    do { try harness.run(d, scratch) } catch {}
                    print("replayed \(f): no crash")
                }
                exit(0)
            }

            let corpus = harness.seeds()
            guard !corpus.isEmpty else { print("\(name): no seed files found"); exit(2) }
            var mutator = Mutator(rng: SeededRandom(seed: seed), corpus: corpus)
            let current = dir + "/current"
            // A watchdog: an input running over 5 s is a hang; keep it and stop.
            Thread.detachNewThread {
                while true {
                    Thread.sleep(forTimeInterval: 0.5)
                    if busy && Date().timeIntervalSince(started) > 5 {
                        try? FileManager.default.copyItem(atPath: current, toPath: dir + "/hang-\(Int(Date().timeIntervalSince1970))")
                        print("\(name): HANG over 5 s (input kept in \(dir))")
                        exit(3)
                    }
                }
            }
            let t0 = Date()
            var execs = 0, rejected = 0
            var messages = Set<String>()
            while Date().timeIntervalSince(t0) < seconds {
                let input = execs < corpus.count ? corpus[execs] : mutator.mutate(corpus[mutator.int(corpus.count)])
                FileManager.default.createFile(atPath: current, contents: input)
                started = Date()
                busy = true
                do { try harness.run(input, scratch) } catch {
                    rejected += 1
                    if messages.count < 5000 { messages.insert(String("\(error)".prefix(60))) }
                }
                busy = false
                execs += 1
            }
            try? FileManager.default.removeItem(atPath: current)
            try? FileManager.default.removeItem(atPath: scratch)
            print(
                "\(name): \(execs) executions in \(String(format: "%.0f", Date().timeIntervalSince(t0))) s, \(rejected) rejected with an "
                    + "error (\(messages.count) distinct message starts), finished without a crash or hang"
            )
        }
    }
#endif

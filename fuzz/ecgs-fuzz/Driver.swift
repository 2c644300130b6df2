#if !ECGS_LIBFUZZER
    import Engine
    import Foundation

    /// `ecgs-fuzz` in an ordinary build (no fuzzer runtime); libFuzzer does the fuzzing (scripts/fuzz):
    ///   ecgs-fuzz HARNESS --replay PATH…        run kept inputs and corpora (files, or folders of them) once each;
    ///                                           the tests do this for Tests/Fixtures/fuzz and fuzz/corpus
    ///   ecgs-fuzz HARNESS --export-seeds DIR    write the harness's seed files (real data), for libFuzzer
    ///   ecgs-fuzz HARNESS --export-dict FILE    write its dictionary in libFuzzer's -dict format
    ///   ecgs-fuzz HARNESS --max-len             print its -max_len
    ///   ecgs-fuzz --list                        print the harness names
    @main
    enum Driver {
        static func fail(_ text: String) -> Never {
            FileHandle.standardError.write(Data((text + "\n").utf8))
            exit(2)
        }

        static func main() {
            _ = repo // resolved from the launch folder, before the scratch folder becomes current
            // Everything the command made is released before exit (LeakSanitizer checks at exit).
            let status = run(Array(CommandLine.arguments.dropFirst()))
            exit(status)
        }

        static func run(_ args: [String]) -> Int32 {
            if args == ["--list"] {
                print(harnesses.map(\.name).joined(separator: " "))
                return 0
            }
            let usage =
                "usage: ecgs-fuzz HARNESS (--replay PATH… | --export-seeds DIR | --export-dict FILE | --max-len) | ecgs-fuzz --list\n"
                + "harnesses: \(harnesses.map(\.name).joined(separator: " "))"
            guard args.count >= 2, let harness = harnesses.first(where: { $0.name == args[0] }) else { fail(usage) }
            let launchDir = FileManager.default.currentDirectoryPath
            func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : launchDir + "/" + p }
            switch args[1] {
            case "--max-len":
                print(harness.maxLength)
            case "--export-dict" where args.count == 3:
                write(Data(harness.dictionaryText.utf8), absolute(args[2]))
            case "--export-seeds" where args.count == 3:
                let d = absolute(args[2])
                try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
                let seeds = harness.seeds()
                for (i, s) in seeds.enumerated() { write(s, d + "/seed-\(i)") }
                print("\(harness.name): \(seeds.count) seed files in \(d)")
                return seeds.isEmpty ? 2 : 0
            case "--replay" where args.count >= 3:
                replay(harness, args.dropFirst(2).map(absolute))
            default:
                fail(usage)
            }
            return 0
        }

        /// Runs every input once; each must end with a value or an error. Prints one line per input.
        static func replay(_ harness: Harness, _ paths: [String]) {
            var inputs: [String] = []
            for p in paths {
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { fail("ecgs-fuzz: no such file: \(p)") }
                if isDir.boolValue {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []
                    inputs += names.filter { !$0.hasPrefix(".") }.sorted().map { p + "/" + $0 }
                } else {
                    inputs.append(p)
                }
            }
            let scratch = FuzzScratch.make(harness.name)
            for f in inputs {
                guard let d = FileManager.default.contents(atPath: f) else { fail("ecgs-fuzz: cannot read \(f)") }
                do { try harness.run(d, scratch) } catch {}
                print("replayed \(f): no crash")
            }
            try? FileManager.default.removeItem(atPath: scratch)
        }
    }
#endif

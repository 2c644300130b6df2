#if ECGS_LIBFUZZER
    import Foundation

    /// The libFuzzer entry point (built only by scripts/fuzz, with -DECGS_LIBFUZZER and
    /// -sanitize=fuzzer,address): the harness named by ECGS_FUZZ_HARNESS runs on each input in a scratch
    /// folder; errors thrown by a parser are the expected answer to bad input.
    enum LibFuzzer {
        static let harness: Harness = {
            _ = repo // resolved from the launch folder (the repository root) first
            let name = ProcessInfo.processInfo.environment["ECGS_FUZZ_HARNESS"] ?? ""
            guard let h = harnesses.first(where: { $0.name == name }) else {
                FileHandle.standardError.write(
                    Data("set ECGS_FUZZ_HARNESS to one of: \(harnesses.map(\.name).joined(separator: " "))\n".utf8))
                exit(2)
            }
            return h
        }()
        static let scratch = FuzzScratch.make(harness.name)
    }

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let dir = LibFuzzer.scratch, h = LibFuzzer.harness
        let input = data.map { Data(bytes: $0, count: size) } ?? Data()
        do { try h.run(input, dir) } catch {}
        return 0
    }
#endif

import Engine
import Foundation

/// The folder a harness writes its files in: in memory (/dev/shm) where the system has it, so that the
/// file-based parsers are fuzzed at memory speed; the signal cache goes there too. Relative file names in
/// fuzzed scripts resolve there (it becomes the current folder), and no tensor may exceed 256 MiB.
enum FuzzScratch {
    static func make(_ harness: String) -> String {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let d = base + "/ecgs-fuzz-\(harness)-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        setenv("ECGS_CACHE", d + "/cache", 1)
        MemoryGuard.limitBytes = 256 << 20
        _ = FileManager.default.changeCurrentDirectoryPath(d)
        return d
    }
}

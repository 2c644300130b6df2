import Foundation

/// Writes files so that a reader never sees a partial one: data goes to a temporary file in the
/// same folder, is flushed, then renamed over the destination. Missing parent folders are created.
/// A process killed mid-write (SIGKILL) leaves its temporary file behind but never a partial file at
/// the destination; a later process's first write into that folder removes such leftovers of
/// processes that are gone (once per folder and process: writers of many files stay cheap).
public enum AtomicFile {
    static let tmpMarker = ".tmp-"
    /// Fault injection for the kill tests: `ECGS_WRITE_PAUSE_MS=N` pauses N ms halfway through each
    /// file's data, so that a test can kill the process while a write is known to be in progress.
    static let pauseMilliseconds = Int(ProcessInfo.processInfo.environment["ECGS_WRITE_PAUSE_MS"] ?? "") ?? 0

    nonisolated(unsafe) private static var cleanedFolders = Set<String>()
    private static let cleanedLock = NSLock()

    /// Removes the `.NAME.tmp-PID-N` files in `dir` whose writing process no longer exists, the first
    /// time this process writes into `dir`.
    static func removeStaleTemporaries(in dir: URL) {
        cleanedLock.lock()
        let first = cleanedFolders.insert(dir.path).inserted
        cleanedLock.unlock()
        guard first, let entries = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        for e in entries where e.hasPrefix(".") {
            guard let marker = e.range(of: tmpMarker, options: .backwards),
                let pid = Int32(e[marker.upperBound...].prefix { $0 != "-" }), pid > 0
            else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: dir.appendingPathComponent(e)) }
        }
    }

    /// In a data-parallel job only rank 0 writes: every rank computed the same values.
    public static func write(_ data: Data, to path: String, op: String = "write") throws {
        guard Distributed.isLeader else { return }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir) {
            do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
                throw EngineError(op, "cannot create the folder '\(dir.path)': \(error.localizedDescription)")
            }
        } else if !isDir.boolValue {
            throw EngineError(op, "'\(dir.path)' is a file, not a folder")
        }
        removeStaleTemporaries(in: dir)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent)\(tmpMarker)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
            throw EngineError(op, "cannot create '\(tmp.path)' (permission denied or disk full?)")
        }
        do {
            let h = try FileHandle(forWritingTo: tmp)
            defer { try? h.close() }
            if pauseMilliseconds > 0 {
                try h.write(contentsOf: data.prefix(data.count / 2))
                usleep(UInt32(pauseMilliseconds) * 1000)
                try h.write(contentsOf: data.dropFirst(data.count / 2))
            } else {
                try h.write(contentsOf: data)
            }
            try h.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw EngineError(op, "writing '\(path)' failed: \(error.localizedDescription)")
        }
        guard rename(tmp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw EngineError(op, "cannot move the finished file into place at '\(path)': \(reason)")
        }
    }
}

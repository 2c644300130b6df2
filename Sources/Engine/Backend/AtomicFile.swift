import Foundation

/// Writes files so that a reader never sees a partial one: data goes to a temporary file in the
/// same folder, is flushed, then renamed over the destination. Missing parent folders are created.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, op: String = "write") throws {
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
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
            throw EngineError(op, "cannot create '\(tmp.path)' (permission denied or disk full?)")
        }
        do {
            let h = try FileHandle(forWritingTo: tmp)
            defer { try? h.close() }
            try h.write(contentsOf: data)
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

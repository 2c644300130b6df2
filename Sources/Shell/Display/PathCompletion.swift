import Foundation

/// File-path completion inside a string literal (the REPL's Tab, the kernel's `complete_request`).
enum PathCompletion {
    /// Entries of the word's folder that start with its last component (hidden files left out), folders
    /// with a trailing `/`.
    static func candidates(_ word: String) -> [String] {
        let dir = (word as NSString).deletingLastPathComponent
        let base = (word as NSString).lastPathComponent
        let listDir = dir.isEmpty ? "." : (dir.hasPrefix("~") ? (dir as NSString).expandingTildeInPath : dir)
        let items = (try? FileManager.default.contentsOfDirectory(atPath: listDir)) ?? []
        return items.filter { $0.hasPrefix(base) && !$0.hasPrefix(".") }.sorted().map { item in
            var isDir: ObjCBool = false
            let full = dir.isEmpty ? item : dir + "/" + item
            FileManager.default.fileExists(atPath: (listDir as NSString).appendingPathComponent(item), isDirectory: &isDir)
            return full + (isDir.boolValue ? "/" : "")
        }
    }
}

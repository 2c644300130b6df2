import Foundation

/// A binary cache of decoded signals: one file holding a `(records, leads, samples)` Float32 block,
/// keyed by the source files' paths, sizes and modification times, so a second load is a memory map (pages are read when first touched).
///
/// Layout: 8-byte magic `ECGSCAC1`, UInt64 header length, JSON header, zero padding to 64 bytes,
/// then the raw little-endian Float32 values.
enum SignalCache {
    static let magic = Array("ECGSCAC1".utf8)

    struct Header: Codable {
        var key: String
        var records: Int
        var leads: [String]
        var samples: Int
        var rate: Double
    }

    /// The cache folder: `$ECGS_CACHE`, else `$XDG_CACHE_HOME/ecgs`, else `~/.cache/ecgs`.
    static func folder() -> String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["ECGS_CACHE"], !d.isEmpty { return d }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return x + "/ecgs" }
        return NSHomeDirectory() + "/.cache/ecgs"
    }

    /// FNV-1a 64 of the identifying text of each source file (path, size, mtime).
    static func key(files: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ s: String) { for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 } }
        var st = stat()
        for f in files {
            mix(f)
            if stat(f, &st) == 0 { mix("|\(st.st_size)|\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)\n") } else { mix("|missing\n") }
        }
        return String(h, radix: 16)
    }

    static func path(name: String) -> String { folder() + "/" + name + ".bin" }

    /// The cached block for `key`, or nil when absent, stale or unreadable (never an error: the
    /// caller decodes the sources instead).
    static func load(name: String, key: String) -> (Header, Tensor)? {
        let p = path(name: name)
        let fd = open(p, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var prefix = [UInt8](repeating: 0, count: 16)
        guard read(fd, &prefix, 16) == 16, Array(prefix[0..<8]) == magic else { return nil }
        let hlen = prefix[8..<16].enumerated().reduce(0) { $0 | Int($1.1) << (8 * $1.0) }
        guard hlen > 0, hlen < 64 << 20 else { return nil }
        var hbytes = [UInt8](repeating: 0, count: hlen)
        guard read(fd, &hbytes, hlen) == hlen, let header = try? JSONDecoder().decode(Header.self, from: Data(hbytes)),
            header.key == key
        else { return nil }
        let dataStart = (16 + hlen + 63) / 64 * 64
        let shape = [header.records, header.leads.count, header.samples]
        guard let n = try? Tensor.checkedCount(shape, op: "cache") else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, Int(st.st_size) == dataStart + 4 * n else { return nil }
        guard let storage = TensorStorage(mapping: fd, offset: dataStart, count: n) else { return nil }
        return (header, Tensor(shape: shape, storage: storage))
    }

    /// Writes the block atomically; failures are ignored (a cache is an optimisation).
    static func store(name: String, header: Header, signals: Tensor) {
        let dir = folder()
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard let json = try? JSONEncoder().encode(header) else { return }
        var blob = Data(magic)
        var len = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &len) { blob.append(contentsOf: $0) }
        blob.append(json)
        let dataStart = (16 + json.count + 63) / 64 * 64
        blob.append(Data(count: dataStart - blob.count))
        blob.append(Data(bytesNoCopy: signals.data, count: 4 * signals.count, deallocator: .none))
        try? AtomicFile.write(blob, to: path(name: name), op: "cache")
    }
}

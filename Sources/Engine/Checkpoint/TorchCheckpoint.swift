import Foundation
import ZIPFoundation

/// Reads PyTorch `torch.save` files: the zip format since PyTorch 1.6 (`<name>/data.pkl` holds the
/// pickled object, `<name>/data/<key>` the raw storages) and the legacy format before it (see
/// `loadLegacy`). Only dicts of tensors (with plain and NumPy numbers beside them) are accepted (see
/// `RestrictedUnpickler`). Returns the state dict, unwrapping `{"state_dict": …}` /
/// `{"model_state_dict": …}` / `{"stat_dict": …}` and stripping a `module.` prefix (DataParallel).
public enum TorchCheckpoint {
    public static func load(path: String) throws -> [String: Tensor] {
        let url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw EngineError("load_model", "no such file: '\(path)'")
        }
        guard !isDir.boolValue else { throw EngineError("load_model", "'\(path)' is a folder, not a checkpoint file") }
        // (FileHandle.readData(ofLength:) traps on read errors; read(upToCount:) throws)
        guard let h = FileHandle(forReadingAtPath: path), let head = try? h.read(upToCount: 4) ?? Data() else {
            throw EngineError("load_model", "cannot read '\(path)'")
        }
        try? h.close()
        if head.count >= 2 && head[head.startIndex] == 0x80 {
            guard let data = FileManager.default.contents(atPath: path) else { throw EngineError("load_model", "cannot read '\(path)'") }
            return try loadLegacy([UInt8](data), source: path)
        }
        guard head.count == 4 && Array(head) == [0x50, 0x4B, 0x03, 0x04] else {
            throw EngineError("load_model", "\(path): not a PyTorch checkpoint (expected a zip file starting with 'PK\\x03\\x04')")
        }
        // ZIPFoundation traps on some damaged directories: check the layout first.
        _ = try ZipDirectory.check(path: path)
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw EngineError("load_model", "\(path): damaged zip archive (\(error))")
        }
        guard let pklEntry = archive.first(where: { $0.path.hasSuffix("data.pkl") && $0.type == .file }) else {
            throw EngineError("load_model", "\(path): zip has no data.pkl; it was not written by torch.save")
        }
        let prefix = String(pklEntry.path.dropLast("data.pkl".count))
        func read(_ entry: Entry) throws -> [UInt8] {
            guard entry.uncompressedSize <= 1 << 34 else { throw EngineError("load_model", "\(path): entry '\(entry.path)' is too large") }
            // The declared size is checked against the file (ZipDirectory) and the memory available; the buffer
            // grows as the data arrives.
            try MemoryGuard.require(elements: Int(entry.uncompressedSize / 4), op: "load_model")
            var out = [UInt8]()
            out.reserveCapacity(Int(min(entry.uncompressedSize, 64 << 20)))
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in out.append(contentsOf: chunk) }
            } catch {
                throw EngineError("load_model", "\(path): cannot read '\(entry.path)' (truncated or corrupt: \(error))")
            }
            return out
        }
        var cache: [String: [UInt8]] = [:]
        var vm = RestrictedUnpickler(bytes: try read(pklEntry), source: path) { ref in
            if let c = cache[ref.key] { return c }
            guard let e = archive[prefix + "data/" + ref.key] else {
                throw EngineError("load_model", "\(path): storage '\(ref.key)' is missing from the archive")
            }
            let bytes = try read(e)
            cache[ref.key] = bytes
            return bytes
        }
        return try stateDict(from: vm.run(), source: path)
    }

    /// The legacy `torch.save` format (`_use_new_zipfile_serialization=False`, and every file before
    /// PyTorch 1.6): four pickles in a row — the magic number 0x1950a86a20f9469cfc6c, the protocol
    /// version 1001, a dict of system facts (byte order), the object itself — then a pickled list of
    /// storage keys, then each storage as an 8-byte little-endian element count and its raw bytes.
    static func loadLegacy(_ bytes: [UInt8], source path: String) throws -> [String: Tensor] {
        func fail(_ what: String) -> EngineError { EngineError("load_model", "\(path): \(what)") }
        let noStorage: (StorageRef) throws -> [UInt8] = { _ in throw fail("a tensor before the storages are known") }
        var magic = RestrictedUnpickler(bytes: bytes, startingAt: 0, source: path, loadStorage: noStorage)
        guard case let .bigInt(m) = try magic.run(), m == [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19] else {
            throw fail("not a PyTorch checkpoint (a pickle without torch.save's magic number: a pickle is never executed)")
        }
        var version = RestrictedUnpickler(bytes: bytes, startingAt: magic.pos, source: path, loadStorage: noStorage)
        let v = try version.run()
        guard case .int(1001) = v else { throw fail("legacy torch.save protocol version \(v) is not supported (1001 is)") }
        var info = RestrictedUnpickler(bytes: bytes, startingAt: version.pos, source: path, loadStorage: noStorage)
        if case let .dict(d) = try info.run(),
            let (_, le) = d.entries.first(where: {
                if case .string("little_endian") = $0.0 { return true }; return false
            }),
            case .bool(false) = le
        {
            throw fail("the checkpoint was written on a big-endian machine; only little-endian files are supported")
        }
        // First pass over the object: where it ends and which storages (of which types) it uses.
        var scan = RestrictedUnpickler(bytes: bytes, startingAt: info.pos, source: path, loadStorage: noStorage)
        scan.skipTensors = true
        _ = try scan.run()
        var keyList = RestrictedUnpickler(bytes: bytes, startingAt: scan.pos, source: path, loadStorage: noStorage)
        guard case let .list(keys) = try keyList.run() else { throw fail("the storage key list is missing") }
        var offset = keyList.pos
        var storages: [String: [UInt8]] = [:]
        for item in keys.items {
            guard case let .string(key) = item else { throw fail("a storage key is not a string") }
            guard let ref = scan.storageRefs[key] else { throw fail("storage '\(key)' is listed but no tensor uses it") }
            guard offset + 8 <= bytes.count else { throw fail("storage '\(key)' is cut off (truncated file)") }
            var n: UInt64 = 0
            for i in 0..<8 { n |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            let (size, overflow) = Int(clamping: n).multipliedReportingOverflow(by: ref.dtype.size)
            guard !overflow, n < 1 << 40, offset + 8 + size <= bytes.count else {
                throw fail("storage '\(key)' claims \(n) elements, more than the file holds (truncated file)")
            }
            storages[key] = Array(bytes[(offset + 8)..<(offset + 8 + size)])
            offset += 8 + size
        }
        var vm = RestrictedUnpickler(bytes: bytes, startingAt: info.pos, source: path) { ref in
            guard let s = storages[ref.key] else { throw fail("storage '\(ref.key)' is not in the file") }
            return s
        }
        return try stateDict(from: vm.run(), source: path)
    }

    static func stateDict(from root: PickleValue, source: String) throws -> [String: Tensor] {
        guard case let .dict(d) = root else {
            throw EngineError("load_model", "\(source): the checkpoint holds a \(root.typeName), not a dict of tensors")
        }
        for wrapper in ["state_dict", "model_state_dict", "model", "stat_dict"] {
            if let (_, v) = d.entries.first(where: {
                if case .string(wrapper) = $0.0 { return true }; return false
            }),
                case .dict = v
            {
                return try stateDict(from: v, source: source)
            }
        }
        var out: [String: Tensor] = [:]
        for (k, v) in d.entries {
            guard case let .string(key) = k else { continue }
            guard case let .tensor(t) = v else { continue } // non-tensor entries (epoch, config) are skipped
            out[key.hasPrefix("module.") ? String(key.dropFirst(7)) : key] = t
        }
        guard !out.isEmpty else { throw EngineError("load_model", "\(source): the checkpoint's dict holds no tensors") }
        return out
    }
}

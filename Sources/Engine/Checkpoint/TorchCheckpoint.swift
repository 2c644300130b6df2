import Foundation
import ZIPFoundation

/// Reads PyTorch `torch.save` files (the zip format since PyTorch 1.6): `<name>/data.pkl` holds the
/// pickled object, `<name>/data/<key>` the raw storages. Only dicts of tensors are accepted (see
/// `RestrictedUnpickler`). Returns the state dict, unwrapping `{"state_dict": …}` /
/// `{"model_state_dict": …}` and stripping a `module.` prefix (DataParallel).
public enum TorchCheckpoint {
    public static func load(path: String) throws -> [String: Tensor] {
        let url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw EngineError("load_model", "no such file: '\(path)'") }
        guard !isDir.boolValue else { throw EngineError("load_model", "'\(path)' is a folder, not a checkpoint file") }
        // (FileHandle.readData(ofLength:) traps on read errors; read(upToCount:) throws)
        guard let h = FileHandle(forReadingAtPath: path), let head = try? h.read(upToCount: 4) ?? Data() else {
            throw EngineError("load_model", "cannot read '\(path)'")
        }
        try? h.close()
        if head.count >= 2 && head[head.startIndex] == 0x80 {
            throw EngineError("load_model", "\(path): this is a legacy (pre-1.6, non-zip) PyTorch file; re-save it with torch.save in a recent PyTorch")
        }
        guard head.count == 4 && Array(head) == [0x50, 0x4B, 0x03, 0x04] else {
            throw EngineError("load_model", "\(path): not a PyTorch checkpoint (expected a zip file starting with 'PK\\x03\\x04')")
        }
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
            var out = [UInt8]()
            out.reserveCapacity(Int(entry.uncompressedSize))
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

    static func stateDict(from root: PickleValue, source: String) throws -> [String: Tensor] {
        guard case let .dict(d) = root else {
            throw EngineError("load_model", "\(source): the checkpoint holds a \(root.typeName), not a dict of tensors")
        }
        for wrapper in ["state_dict", "model_state_dict", "model"] {
            if let (_, v) = d.entries.first(where: { if case .string(wrapper) = $0.0 { return true }; return false }),
               case .dict = v {
                return try stateDict(from: v, source: source)
            }
        }
        var out: [String: Tensor] = [:]
        for (k, v) in d.entries {
            guard case let .string(key) = k else { continue }
            guard case let .tensor(t) = v else { continue }  // non-tensor entries (epoch, config) are skipped
            out[key.hasPrefix("module.") ? String(key.dropFirst(7)) : key] = t
        }
        guard !out.isEmpty else { throw EngineError("load_model", "\(source): the checkpoint's dict holds no tensors") }
        return out
    }
}

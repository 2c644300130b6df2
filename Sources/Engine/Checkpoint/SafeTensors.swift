import Foundation

/// The Hugging Face safetensors format: an 8-byte little-endian header length, a JSON header
/// `{name: {dtype, shape, data_offsets}}`, then the raw little-endian data.
public enum SafeTensors {
    static let dtypes: [String: StorageDType] = [
        "F32": .float, "F64": .double, "F16": .half, "BF16": .bfloat16, "I64": .long, "I32": .int,
        "I16": .short, "I8": .char, "U8": .byte, "BOOL": .bool
    ]

    /// Reads every tensor (converted to Float32) and the `__metadata__` strings.
    public static func load(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError("load_safetensors", "cannot read '\(path)' (missing file or no permission)")
        }
        return try decode(data, source: path)
    }

    public static func decode(_ data: Data, source: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        func fail(_ m: String) -> EngineError { EngineError("load_safetensors", "\(source): \(m)") }
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw fail("file is \(bytes.count) bytes, too short for a safetensors header") }
        let n = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(bytes.count - 8), n <= 100_000_000 else {
            throw fail("header claims \(n) bytes but the file has \(bytes.count - 8) after the length")
        }
        let headerEnd = 8 + Int(n)
        guard let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])),
            let header = json as? [String: Any]
        else { throw fail("header is not a JSON object") }
        let dataSize = bytes.count - headerEnd
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, any) in header {
            if name == "__metadata__" {
                for (k, v) in (any as? [String: Any]) ?? [:] { metadata[k] = v as? String }
                continue
            }
            guard let info = any as? [String: Any], let dt = info["dtype"] as? String,
                let shapeAny = info["shape"] as? [Any], let offsAny = info["data_offsets"] as? [Any], offsAny.count == 2
            else {
                throw fail("entry '\(name)' lacks dtype, shape or data_offsets")
            }
            guard let dtype = dtypes[dt] else { throw fail("entry '\(name)' has unsupported dtype '\(dt)'") }
            let shape = shapeAny.compactMap { ($0 as? NSNumber)?.intValue }
            let offs = offsAny.compactMap { ($0 as? NSNumber)?.intValue }
            guard shape.count == shapeAny.count, offs.count == 2 else { throw fail("entry '\(name)' has non-integer shape or offsets") }
            let count = try Tensor.checkedCount(shape, op: "load_safetensors")
            guard offs[0] >= 0, offs[0] <= offs[1], offs[1] <= dataSize else {
                throw fail("entry '\(name)' claims bytes \(offs[0])..<\(offs[1]) but the data section has \(dataSize)")
            }
            guard offs[1] - offs[0] == count * dtype.size else {
                throw fail(
                    "entry '\(name)' has \(offs[1] - offs[0]) bytes for shape \(shapeString(shape)) of \(dt) (needs \(count * dtype.size))")
            }
            let t = Tensor(zeros: shape, zeroed: false)
            bytes.withUnsafeBytes { buf in
                let slice = UnsafeRawBufferPointer(rebasing: buf[(headerEnd + offs[0])..<(headerEnd + offs[1])])
                for i in 0..<count { t.data[i] = StorageDecoder.value(slice, index: i, dtype: dtype) }
            }
            tensors[name] = t
        }
        return (tensors, metadata)
    }

    /// Encodes tensors as F32 safetensors (sorted by name), header padded to 8 bytes.
    public static func encode(_ tensors: [(String, Tensor)], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let sorted = tensors.sorted { $0.0 < $1.0 }
        for (name, t) in sorted {
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + t.count * 4]] as [String: Any]
            offset += t.count * 4
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for (_, t) in sorted {
            out.append(UnsafeBufferPointer(start: t.data, count: t.count)) // x86-64 and arm64 are little-endian
        }
        return out
    }

    /// Writes tensors atomically to `path`.
    public static func save(_ tensors: [(String, Tensor)], metadata: [String: String] = [:], path: String) throws {
        try AtomicFile.write(try encode(tensors, metadata: metadata), to: path, op: "save")
    }
}

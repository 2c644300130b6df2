import Foundation

/// NumPy `.npy` files (format 1.0–3.0) for exchange with Python: reads float32/float64/int/bool arrays
/// in C order into a Float32 tensor; writes `<f4`.
public enum NPY {
    public static func read(_ path: String) throws -> Tensor {
        try decode(WFDB.readFile(path, op: "load_npy"), source: path)
    }

    /// Decodes the bytes of a `.npy` file; `path` names it in errors.
    public static func decode(_ data: Data, source path: String) throws -> Tensor {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw EngineError("load_npy", "\(path): not a .npy file (missing the \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let (hlen, start): (Int, Int) =
            major == 1
            ? (Int(bytes[8]) | Int(bytes[9]) << 8, 10)
            : (bytes.count >= 12 ? (Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24, 12) : (-1, 12))
        guard (1...3).contains(major), hlen > 0, start + hlen <= bytes.count else {
            throw EngineError("load_npy", "\(path): unsupported .npy version \(major) or truncated header")
        }
        let header = String(decoding: bytes[start..<(start + hlen)], as: UTF8.self)
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrField = field("descr"), let q1 = descrField.firstIndex(of: "'"),
            let q2 = descrField[descrField.index(after: q1)...].firstIndex(of: "'")
        else {
            throw EngineError("load_npy", "\(path): header has no 'descr'")
        }
        let descr = String(descrField[descrField.index(after: q1)..<q2])
        if let f = field("fortran_order"), f.hasPrefix("True") {
            throw EngineError("load_npy", "\(path): Fortran-ordered arrays are not supported (save with np.ascontiguousarray)")
        }
        guard let shapeField = field("shape"), let o = shapeField.firstIndex(of: "("),
            let c = shapeField[o...].firstIndex(of: ")")
        else {
            throw EngineError("load_npy", "\(path): header has no 'shape'")
        }
        let dims = try shapeField[shapeField.index(after: o)..<c].split(separator: ",").map { s -> Int in
            guard let v = Int(s.trimmingCharacters(in: .whitespaces)), v >= 0 else {
                throw EngineError("load_npy", "\(path): bad shape '\(shapeField[o...c])'")
            }
            return v
        }
        let sizes: [String: Int] = ["<f4": 4, "<f8": 8, "<i4": 4, "<i8": 8, "<i2": 2, "|u1": 1, "|i1": 1, "|b1": 1, "<u2": 2, "<f2": 2]
        guard let size = sizes[descr] else {
            throw EngineError(
                "load_npy", "\(path): dtype '\(descr)' is not supported (supported: \(sizes.keys.sorted().joined(separator: ", ")))")
        }
        let n = try Tensor.checkedCount(dims, op: "load_npy")
        let dataStart = start + hlen
        guard bytes.count - dataStart >= n * size else {
            throw EngineError(
                "load_npy",
                "\(path): shape \(shapeString(dims)) needs \(n * size) bytes of data but the file has \(bytes.count - dataStart)")
        }
        let t = Tensor(zeros: dims, zeroed: false)
        bytes.withUnsafeBytes { raw in
            let p = raw.baseAddress! + dataStart
            for i in 0..<n {
                let q = p + i * size
                let v: Float
                switch descr {
                case "<f4": v = Float(bitPattern: UInt32(littleEndian: q.loadUnaligned(as: UInt32.self)))
                case "<f8": v = Float(Double(bitPattern: UInt64(littleEndian: q.loadUnaligned(as: UInt64.self))))
                case "<i4": v = Float(Int32(littleEndian: q.loadUnaligned(as: Int32.self)))
                case "<i8": v = Float(Int64(littleEndian: q.loadUnaligned(as: Int64.self)))
                case "<i2": v = Float(Int16(littleEndian: q.loadUnaligned(as: Int16.self)))
                case "<u2": v = Float(UInt16(littleEndian: q.loadUnaligned(as: UInt16.self)))
                case "<f2": v = Float(Float16(bitPattern: UInt16(littleEndian: q.loadUnaligned(as: UInt16.self))))
                case "|i1": v = Float(q.loadUnaligned(as: Int8.self))
                default: v = Float(q.loadUnaligned(as: UInt8.self))
                }
                t.data[i] = v
            }
        }
        return t
    }

    public static func write(_ t: Tensor, to path: String) throws {
        let shape = t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var out = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let hl = UInt16(header.utf8.count)
        out.append(contentsOf: [UInt8(hl & 0xFF), UInt8(hl >> 8)])
        out.append(Data(header.utf8))
        out.append(Data(bytes: t.data, count: 4 * t.count))
        try AtomicFile.write(out, to: path, op: "save_npy")
    }
}

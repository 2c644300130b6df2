import Foundation

/// A NumPy dtype rebuilt from its pickle (`numpy.dtype(code, align, copy)` then BUILD with the byte order).
final class NumpyDType {
    let code: String
    var byteOrder = "<"
    init(code: String) { self.code = code }

    /// Kind (`f`, `i`, `u`, `b`) and size in bytes of a plain numeric dtype; nil for any other.
    var numeric: (kind: Character, size: Int)? {
        guard let kind = code.first, "fiub".contains(kind), let size = Int(code.dropFirst()), [1, 2, 4, 8].contains(size) else {
            return nil
        }
        if kind == "f" && size == 1 { return nil }
        return (kind, size)
    }

    /// The element at `index` of little- or big-endian `bytes` as a Double.
    func value(_ bytes: [UInt8], index: Int) -> Double? {
        guard let (kind, size) = numeric, (index + 1) * size <= bytes.count else { return nil }
        var raw: UInt64 = 0
        let slice = bytes[(index * size)..<((index + 1) * size)]
        for (i, b) in (byteOrder == ">" ? Array(slice.reversed()) : Array(slice)).enumerated() { raw |= UInt64(b) << (8 * UInt64(i)) }
        switch (kind, size) {
        case ("f", 8): return Double(bitPattern: raw)
        case ("f", 4): return Double(Float(bitPattern: UInt32(raw)))
        case ("f", 2): return Double(StorageDecoder.halfToFloat(UInt16(raw)))
        case ("u", _), ("b", _): return Double(raw)
        default: // signed: sign-extend
            let shift = UInt64(64 - 8 * size)
            return Double(Int64(bitPattern: raw << shift) >> Int64(shift))
        }
    }
}

/// A NumPy array rebuilt from `numpy.core.multiarray._reconstruct` and its BUILD state: data only.
final class NumpyArray {
    var shape: [Int] = []
    var dtype: NumpyDType?
    var values: [Double] = []
}
final class PickleDict { var entries: [(PickleValue, PickleValue)] = [] }

import Foundation

extension WFDB {
    /// Writes `record` as a single-segment WFDB record in format 16: `dir/name.hea` and `dir/name.dat`
    /// (all signals interleaved in one file), both atomically. Physical values become
    /// `round(x * gain) + baseline`; NaN is written as the invalid marker −32768. The gain defaults to
    /// 1000 ADC units per mV (PTB-XL's), lowered when a signal would not fit in 16 bits.
    public static func write(_ record: ECGRecord, to dir: String, name: String? = nil, gain: Double? = nil) throws {
        let recName = name ?? record.name
        guard !recName.isEmpty, !recName.contains("/"), !recName.contains(" ") else {
            throw EngineError("write_wfdb", "record name '\(recName)' must be non-empty without '/' or spaces")
        }
        let shape = record.signal.shape
        guard shape.count == 2, shape[0] == record.leads.count else {
            throw EngineError("write_wfdb", "signal of shape \(shapeString(shape)) does not match \(record.leads.count) lead names")
        }
        let nsig = shape[0], n = shape[1]
        var gains: [Double] = []
        for s in 0..<nsig {
            if let gain { gains.append(gain); continue }
            var peak: Float = 0
            for i in 0..<n { let v = abs(record.signal.data[s * n + i]); if v.isFinite { peak = max(peak, v) } }
            let g = Double(peak) * 1000 < 32_000 ? 1000 : (32_000 / Double(peak)).rounded(.down)
            gains.append(max(g, 1e-6))
        }
        var dat = Data(count: 2 * nsig * n)
        var checksums = [Int32](repeating: 0, count: nsig)
        var initial = [Int32](repeating: 0, count: nsig)
        try dat.withUnsafeMutableBytes { raw in
            let out = raw.bindMemory(to: UInt8.self)
            for i in 0..<n {
                for s in 0..<nsig {
                    let x = Double(record.signal.data[s * n + i])
                    var d: Int32 = -32768
                    if x.isFinite {
                        let q = (x * gains[s]).rounded()
                        guard q > -32768, q <= 32767 else {
                            throw EngineError(
                                "write_wfdb", "lead \(record.leads[s]) sample \(i) = \(x) does not fit in 16 bits at gain \(gains[s])")
                        }
                        d = Int32(q)
                    }
                    if i == 0 { initial[s] = d }
                    checksums[s] &+= d
                    let u = UInt16(bitPattern: Int16(d))
                    out[2 * (i * nsig + s)] = UInt8(u & 0xFF)
                    out[2 * (i * nsig + s) + 1] = UInt8(u >> 8)
                }
            }
        }
        func fmt(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
        var text = "\(recName) \(nsig) \(fmt(record.rate)) \(n)\n"
        for s in 0..<nsig {
            let cs = Int16(truncatingIfNeeded: checksums[s])
            text += "\(recName).dat 16 \(fmt(gains[s]))(0)/\(record.units[s]) 16 0 \(initial[s]) \(cs) 0 \(record.leads[s])\n"
        }
        for c in record.comments { text += "# \(c)\n" }
        try AtomicFile.write(dat, to: dir + "/\(recName).dat", op: "write_wfdb")
        try AtomicFile.write(Data(text.utf8), to: dir + "/\(recName).hea", op: "write_wfdb")
    }
}

import Foundation

/// Digital samples of a WFDB record, per signal, with samples-per-frame expanded
/// (signal `s` holds `frames * samplesPerFrame[s]` values).
public struct WFDBDigital: Sendable {
    public var header: WFDBHeader
    public var samples: [[Int32]]
    /// Frames read (samples per signal at the frame rate).
    public var frames: Int
}

/// Reading WFDB records (`.hea` + signal files) and MIT annotation files.
public enum WFDB {
    /// `path` may name the record (`dir/100`) or its header (`dir/100.hea`).
    static func headerPath(_ path: String) -> String {
        path.hasSuffix(".hea") ? path : path + ".hea"
    }

    static func readFile(_ path: String, op: String = "wfdb") throws -> Data {
        guard FileManager.default.fileExists(atPath: path) else { throw EngineError(op, "file '\(path)' does not exist") }
        guard let d = FileManager.default.contents(atPath: path) else { throw EngineError(op, "cannot read '\(path)'") }
        return d
    }

    /// Parses the header of the record at `path`.
    public static func readHeader(_ path: String) throws -> WFDBHeader {
        let hp = headerPath(path)
        let data = try readFile(hp)
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw EngineError("wfdb", "\(hp): header is not text")
        }
        return try WFDBHeader.parse(text, source: hp)
    }

    /// Reads digital samples of frames `from..<to` (all frames when `to` is nil). Verifies the
    /// header checksums (modulo 65536) when the whole record is read and `verifyChecksums` is set.
    public static func readDigital(_ path: String, from: Int = 0, to: Int? = nil, verifyChecksums: Bool = true) throws -> WFDBDigital {
        let hp = headerPath(path)
        let header = try readHeader(path)
        let dir = (hp as NSString).deletingLastPathComponent
        var samples = [[Int32]](repeating: [], count: header.signals.count)
        // Group signals by file, in order of first appearance.
        var groups: [(file: String, signals: [Int])] = []
        for (i, s) in header.signals.enumerated() {
            if let g = groups.firstIndex(where: { $0.file == s.fileName }) { groups[g].signals.append(i) } else { groups.append((s.fileName, [i])) }
        }
        var frames = header.sampleCount
        var decoded: [(signals: [Int], flat: [Int32], frameSize: Int)] = []
        for g in groups {
            let specs = g.signals.map { header.signals[$0] }
            let first = specs[0]
            if let other = specs.first(where: { $0.format != first.format }) {
                throw EngineError("wfdb", "\(hp): signals in '\(g.file)' mix formats \(first.format) and \(other.format)")
            }
            if g.file == "~" { throw EngineError("wfdb", "\(hp): signal file '~' (null signal) is not supported") }
            let filePath = g.file.hasPrefix("/") ? g.file : (dir.isEmpty ? g.file : dir + "/" + g.file)
            let data = try readFile(filePath)
            guard first.byteOffset <= data.count else {
                throw EngineError("wfdb", "\(filePath): byte offset \(first.byteOffset) is past the end of the file (\(data.count) bytes)")
            }
            let frameSize = specs.reduce(0) { $0 + $1.samplesPerFrame }
            let available = max(0, data.count - first.byteOffset)
            let capacityFrames = WFDBFormat.sampleCapacity(bytes: available, format: first.format) / frameSize
            let n = frames ?? capacityFrames
            if n > capacityFrames {
                throw EngineError("wfdb", "\(filePath): holds \(capacityFrames) frames of format \(first.format) but the header says \(n) samples")
            }
            frames = n
            var frameSignalIndex: [Int] = []
            for (k, s) in specs.enumerated() { frameSignalIndex += Array(repeating: k, count: s.samplesPerFrame) }
            let total = n * frameSize
            var flat = [Int32](repeating: 0, count: total)
            data.withUnsafeBytes { raw in
                let slice = UnsafeRawBufferPointer(rebasing: raw[first.byteOffset..<raw.count])
                flat.withUnsafeMutableBufferPointer { out in
                    if let base = out.baseAddress {
                        WFDBFormat.decode(slice, format: first.format, samples: total, frameSignalIndex: frameSignalIndex,
                                          initial: specs.map { Int32(truncatingIfNeeded: $0.initialValue) }, into: base)
                    }
                }
            }
            decoded.append((g.signals, flat, frameSize))
        }
        let nFrames = frames ?? 0
        for d in decoded {
            var pos = 0
            for sig in d.signals {
                let spf = header.signals[sig].samplesPerFrame
                var out = [Int32](repeating: 0, count: nFrames * spf)
                for f in 0..<nFrames {
                    let base = f * d.frameSize + pos
                    for k in 0..<spf { out[f * spf + k] = d.flat[base + k] }
                }
                samples[sig] = out
                pos += spf
            }
        }
        if verifyChecksums {
            for (i, s) in header.signals.enumerated() {
                guard let expected = s.checksum else { continue }
                var sum: Int32 = 0
                for v in samples[i] { sum &+= v }
                if (sum & 0xFFFF) != (Int32(truncatingIfNeeded: expected) & 0xFFFF) {
                    throw EngineError("wfdb", "\(hp): checksum of signal \(i) ('\(s.description)') is \(Int(sum & 0xFFFF)) but the header says \(expected) (mod 65536): the signal file is damaged or does not belong to this header")
                }
            }
        }
        // Skew: sample i of a skewed signal is stored in frame i + skew.
        for (i, s) in header.signals.enumerated() where s.skew > 0 {
            let marker = WFDBFormat.invalidMarker(s.format) ?? Int32.min
            let spf = s.samplesPerFrame
            let shift = min(s.skew * spf, samples[i].count)
            samples[i] = Array(samples[i][shift...]) + Array(repeating: marker, count: shift)
        }
        let lo = max(0, min(from, nFrames)), hi = max(lo, min(to ?? nFrames, nFrames))
        if lo > 0 || hi < nFrames {
            for i in samples.indices {
                let spf = header.signals[i].samplesPerFrame
                samples[i] = Array(samples[i][(lo * spf)..<(hi * spf)])
            }
        }
        return WFDBDigital(header: header, samples: samples, frames: hi - lo)
    }

    /// Reads a record in physical units, `(d − baseline) / gain`, invalid samples as NaN. Signals with
    /// several samples per frame are averaged to the frame rate (wfdb-python's `smooth_frames`).
    public static func read(_ path: String, from: Int = 0, to: Int? = nil) throws -> ECGRecord {
        let d = try readDigital(path, from: from, to: to)
        let h = d.header
        let signal = Tensor(zeros: [h.signals.count, d.frames], zeroed: false)
        for (i, s) in h.signals.enumerated() {
            let marker = WFDBFormat.invalidMarker(s.format)
            let row = signal.data + i * d.frames
            let spf = s.samplesPerFrame
            let base = Double(s.baseline), gain = s.gain
            d.samples[i].withUnsafeBufferPointer { src in
                for f in 0..<d.frames {
                    var acc = 0.0, valid = true
                    for k in 0..<spf {
                        let v = src[f * spf + k]
                        if let marker, v == marker { valid = false }
                        acc += Double(v)
                    }
                    row[f] = valid ? Float((acc / Double(spf) - base) / gain) : .nan
                }
            }
        }
        let name = (h.recordName as NSString).lastPathComponent
        return ECGRecord(name: name, rate: h.samplingFrequency, leads: h.signals.map(\.description),
                         units: h.signals.map(\.units), signal: signal, comments: h.comments)
    }
}

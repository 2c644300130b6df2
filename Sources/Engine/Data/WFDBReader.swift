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
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw EngineError(op, "file '\(path)' does not exist")
        }
        // An empty file is answered here: Foundation's contents(atPath:) leaks a 4 KiB buffer for one
        // (LeakSanitizer, found by fuzzing the record reader).
        if attributes[.size] as? Int == 0 { return Data() }
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

    /// Reads digital samples of frames `from..<to` (all frames when `to` is nil) of a single-segment
    /// record. Verifies the header checksums (modulo 65536) when `verifyChecksums` is set.
    public static func readDigital(_ path: String, from: Int = 0, to: Int? = nil, verifyChecksums: Bool = true) throws -> WFDBDigital {
        let hp = headerPath(path)
        let header = try readHeader(path)
        guard header.segments == nil else {
            throw EngineError(
                "wfdb", "\(hp): a multi-segment record has no single set of digital samples; read it in physical units (wfdb(...))")
        }
        return try readDigital(header: header, headerPath: hp, from: from, to: to, verifyChecksums: verifyChecksums)
    }

    static func readDigital(header: WFDBHeader, headerPath hp: String, from: Int, to: Int?, verifyChecksums: Bool) throws -> WFDBDigital {
        let dir = (hp as NSString).deletingLastPathComponent
        var samples = [[Int32]](repeating: [], count: header.signals.count)
        // Group signals by file, in order of first appearance.
        var groups: [(file: String, signals: [Int])] = []
        for (i, s) in header.signals.enumerated() {
            if let g = groups.firstIndex(where: { $0.file == s.fileName }) {
                groups[g].signals.append(i)
            } else {
                groups.append((s.fileName, [i]))
            }
        }
        var frames = header.sampleCount
        var nullSignals: [Int] = []
        for g in groups {
            let specs = g.signals.map { header.signals[$0] }
            if let other = specs.first(where: { $0.format != specs[0].format }) {
                throw EngineError("wfdb", "\(hp): signals in '\(g.file)' mix formats \(specs[0].format) and \(other.format)")
            }
            // '~' or format 0: a null signal (no file; every sample invalid), as in layout headers.
            if g.file == "~" || specs[0].format == 0 { nullSignals += g.signals; continue }
            let filePath = g.file.hasPrefix("/") ? g.file : (dir.isEmpty ? g.file : dir + "/" + g.file)
            let (perSignal, n) = try decodeFile(try readFile(filePath), specs: specs, frames: frames, path: filePath)
            frames = n
            for (k, sig) in g.signals.enumerated() { samples[sig] = perSignal[k] }
        }
        let nFrames = frames ?? 0
        for sig in nullSignals {
            // A null signal is as long as the header says, with no file to bound it: refuse what cannot be allocated
            // (a fuzzed header asked for 3,382,120,020 samples), counting the digital samples and the physical signal
            // made from them, which are held at the same time.
            _ = try Tensor.checkedCount([2, nFrames, header.signals[sig].samplesPerFrame], op: "wfdb")
            samples[sig] = Array(repeating: WFDBFormat.invalidMarker(0)!, count: nFrames * header.signals[sig].samplesPerFrame)
        }
        if verifyChecksums {
            for (i, s) in header.signals.enumerated() where !nullSignals.contains(i) {
                guard let expected = s.checksum else { continue }
                var sum: Int32 = 0
                for v in samples[i] { sum &+= v }
                if (sum & 0xFFFF) != (Int32(truncatingIfNeeded: expected) & 0xFFFF) {
                    throw EngineError(
                        "wfdb",
                        "\(hp): checksum of signal \(i) ('\(s.description)') is \(Int(sum & 0xFFFF)) but the header says \(expected) (mod "
                            + "65536): the signal file is damaged or does not belong to this header"
                    )
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

    /// The samples of each signal stored in one file (`frames` frames, or as many as the file holds when
    /// nil), and the frame count: binary formats de-interleaved from their frames, FLAC (one channel per
    /// signal) through libFLAC.
    static func decodeFile(_ data: Data, specs: [WFDBSignalSpec], frames: Int?, path: String) throws -> (samples: [[Int32]], frames: Int) {
        let format = specs[0].format, offset = specs[0].byteOffset
        guard offset <= data.count else {
            throw EngineError("wfdb", "\(path): byte offset \(offset) is past the end of the file (\(data.count) bytes)")
        }
        func checked(_ available: Int) throws -> Int {
            let n = frames ?? available
            guard n <= available else {
                throw EngineError("wfdb", "\(path): holds \(available) frames of format \(format) but the header says \(n) samples")
            }
            return n
        }
        if WFDBFLAC.formats.contains(format) {
            let spf = specs[0].samplesPerFrame
            guard specs.allSatisfy({ $0.samplesPerFrame == spf }) else {
                throw EngineError("wfdb", "\(path): the signals of a FLAC file must have the same samples per frame")
            }
            let channels = try WFDBFLAC.decode(
                data, from: offset, path: path, channels: specs.count, bits: WFDBFLAC.bits(format),
                limit: frames.map { $0.multipliedReportingOverflow(by: spf).overflow ? Int.max : $0 * spf })
            let n = try checked((channels.first?.count ?? 0) / spf)
            return (channels.map { Array($0.prefix(n * spf)) }, n)
        }
        let frameSize = specs.reduce(0) { $0 + $1.samplesPerFrame }
        let n = try checked(WFDBFormat.sampleCapacity(bytes: data.count - offset, format: format) / frameSize)
        var frameSignalIndex: [Int] = []
        for (k, s) in specs.enumerated() { frameSignalIndex += Array(repeating: k, count: s.samplesPerFrame) }
        var flat = [Int32](repeating: 0, count: n * frameSize)
        data.withUnsafeBytes { raw in
            let slice = UnsafeRawBufferPointer(rebasing: raw[offset..<raw.count])
            flat.withUnsafeMutableBufferPointer { out in
                if let base = out.baseAddress {
                    WFDBFormat.decode(
                        slice, format: format, samples: n * frameSize, frameSignalIndex: frameSignalIndex,
                        initial: specs.map { Int32(truncatingIfNeeded: $0.initialValue) }, into: base)
                }
            }
        }
        var pos = 0
        let perSignal = specs.map { s -> [Int32] in
            let spf = s.samplesPerFrame
            var out = [Int32](repeating: 0, count: n * spf)
            for f in 0..<n { for k in 0..<spf { out[f * spf + k] = flat[f * frameSize + pos + k] } }
            pos += spf
            return out
        }
        return (perSignal, n)
    }

    /// How signals with several samples per frame become one value per frame.
    public enum FrameAveraging: String, CaseIterable, Sendable {
        /// The mean of the frame's valid samples rounded to the nearest ADC unit (halves up), as the
        /// WFDB library's `getvec` does in its default (low-resolution) mode; invalid only when every
        /// sample of the frame is. The default.
        case round
        /// What wfdb-python's `rdrecord(smooth_frames=True)` gives: the mean of all stored values
        /// (invalid-sample markers included) truncated toward zero.
        case truncate
        /// The exact (fractional) mean of the valid samples.
        case exact
    }

    /// Reads a record in physical units, `(d − baseline) / gain`, invalid samples as NaN. Signals with
    /// several samples per frame are averaged to the frame rate (`frames`; see `FrameAveraging`).
    /// Multi-segment records (fixed or variable layout) are joined into one record.
    public static func read(_ path: String, from: Int = 0, to: Int? = nil, frames: FrameAveraging = .round) throws -> ECGRecord {
        let header = try readHeader(path)
        if header.segments != nil { return try WFDBMultiSegment.read(path, header: header, from: from, to: to, frames: frames) }
        return try readSingle(path, header: header, from: from, to: to, frames: frames)
    }

    /// `read` of a single-segment record whose header is already parsed.
    static func readSingle(_ path: String, header: WFDBHeader, from: Int, to: Int?, frames: FrameAveraging) throws -> ECGRecord {
        let d = try readDigital(header: header, headerPath: headerPath(path), from: from, to: to, verifyChecksums: true)
        let h = d.header
        let signal = Tensor(zeros: [h.signals.count, d.frames], zeroed: false)
        for (i, s) in h.signals.enumerated() {
            let marker = WFDBFormat.invalidMarker(s.format)
            let row = signal.data + i * d.frames
            let spf = s.samplesPerFrame
            let base = Double(s.baseline), gain = s.gain
            d.samples[i].withUnsafeBufferPointer { src in
                for f in 0..<d.frames {
                    var sum = 0, valid = 0, all = 0
                    for k in 0..<spf {
                        let v = src[f * spf + k]
                        all += Int(v)
                        if let marker, v == marker { continue }
                        sum += Int(v)
                        valid += 1
                    }
                    let mean: Double
                    switch frames {
                    case .truncate: // wfdb-python sums every stored value, markers included
                        let m = all / spf
                        if let marker, m == Int(marker) { row[f] = .nan; continue }
                        mean = Double(m)
                    case .round:
                        guard valid > 0 else { row[f] = .nan; continue }
                        mean = Double((2 * sum + valid).floorDivided(by: 2 * valid)) // nearest, halves up
                    case .exact:
                        guard valid > 0 else { row[f] = .nan; continue }
                        mean = Double(sum) / Double(valid)
                    }
                    row[f] = Float((mean - base) / gain)
                }
            }
        }
        let name = (h.recordName as NSString).lastPathComponent
        return ECGRecord(
            name: name, rate: h.samplingFrequency, leads: h.signals.map(\.description),
            units: h.signals.map(\.units), signal: signal, comments: h.comments)
    }

    /// Reads each signal at its own rate (wfdb-python's `smooth_frames=False`): one single-signal
    /// record per signal, at `samplesPerFrame × fs`. `from`/`to` count frames, as in `read`.
    public static func readExpanded(_ path: String, from: Int = 0, to: Int? = nil) throws -> [ECGRecord] {
        let header = try readHeader(path)
        guard header.segments == nil else {
            throw EngineError("wfdb", "\(headerPath(path)): signals at their own rates are read from single-segment records only")
        }
        let d = try readDigital(header: header, headerPath: headerPath(path), from: from, to: to, verifyChecksums: true)
        let name = (header.recordName as NSString).lastPathComponent
        return header.signals.enumerated().map { i, s in
            let marker = WFDBFormat.invalidMarker(s.format)
            let n = d.samples[i].count
            let t = Tensor(zeros: [1, n], zeroed: false)
            for j in 0..<n {
                let v = d.samples[i][j]
                t.data[j] = v == marker ? .nan : Float((Double(v) - Double(s.baseline)) / s.gain)
            }
            return ECGRecord(
                name: name, rate: header.samplingFrequency * Double(s.samplesPerFrame), leads: [s.description],
                units: [s.units], signal: t, comments: header.comments)
        }
    }
}

extension Int {
    /// `floor(self / d)` for a positive divisor (Swift's `/` truncates toward zero).
    func floorDivided(by d: Int) -> Int { self >= 0 ? self / d : -((-self + d - 1) / d) }
}

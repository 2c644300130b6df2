import Foundation

/// One signal line of a WFDB header (`signal(5)` in the WFDB manual), with WFDB's defaults applied.
public struct WFDBSignalSpec: Equatable, Sendable {
    public var fileName: String
    public var format: Int
    public var samplesPerFrame: Int = 1
    public var skew: Int = 0
    public var byteOffset: Int = 0
    /// ADC units per physical unit; a header gain of 0 (or none) means the WFDB default, 200.
    public var gain: Double = 200
    public var baseline: Int = 0
    public var units: String = "mV"
    public var adcResolution: Int = 0
    public var adcZero: Int = 0
    public var initialValue: Int = 0
    public var checksum: Int?
    public var blockSize: Int = 0
    public var description: String = ""

    public init(fileName: String, format: Int) {
        self.fileName = fileName
        self.format = format
    }
}

/// One segment line of a multi-segment header: a record name (`~` for a gap) and its length.
public struct WFDBSegment: Equatable, Sendable {
    public var name: String
    public var samples: Int
}

/// A parsed WFDB header (`header(5)`): the record line, then signal lines (single-segment record) or
/// segment lines (multi-segment record), and comments.
public struct WFDBHeader: Equatable, Sendable {
    public var recordName: String
    public var samplingFrequency: Double = 250
    public var counterFrequency: Double?
    public var baseCounter: Double?
    /// Samples per signal (frames); nil when the header leaves it out (then the file length decides).
    public var sampleCount: Int?
    public var baseTime: String?
    public var baseDate: String?
    public var signals: [WFDBSignalSpec] = []
    /// The segments of a multi-segment record (`name/n` on the record line); nil for a single segment.
    public var segments: [WFDBSegment]?
    public var comments: [String] = []

    public init(recordName: String) { self.recordName = recordName }

    /// Formats this reader decodes.
    public static let supportedFormats: Set<Int> = [0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311, 508, 516, 524]

    /// Parses header text. `source` names the file in errors.
    public static func parse(_ text: String, source: String) throws -> WFDBHeader {
        var header: WFDBHeader?
        var leading: [String] = [] // comments before the record line belong to the record too
        func addComment(_ c: String) { if header == nil { leading.append(c) } else { header?.comments.append(c) } }
        var declaredSignals = 0, declaredSegments = 0
        var lineNo = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNo += 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                addComment(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
                continue
            }
            // A comment may follow the fields on the same line.
            let fieldsPart = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let body = String(fieldsPart[0])
            let trailing = fieldsPart.count > 1 ? String(fieldsPart[1]).trimmingCharacters(in: .whitespaces) : nil
            let where_ = "\(source):\(lineNo)"
            if header == nil {
                var h = try parseRecordLine(body, at: where_)
                declaredSignals = h.signals.count
                declaredSegments = h.segments?.count ?? 0
                h.signals = []
                if h.segments != nil { h.segments = [] }
                h.comments = leading
                header = h
                if let trailing { addComment(trailing) }
                continue
            }
            guard var h = header else { continue }
            if var segments = h.segments {
                guard segments.count < declaredSegments else {
                    throw EngineError("wfdb", "\(where_): more segment lines than the \(declaredSegments) the record line declares")
                }
                segments.append(try parseSegmentLine(body, at: where_))
                h.segments = segments
                header = h
                continue
            }
            if h.signals.count >= declaredSignals {
                throw EngineError("wfdb", "\(where_): more signal lines than the \(declaredSignals) the record line declares")
            }
            h.signals.append(try parseSignalLine(body, at: where_))
            if let trailing { h.comments.append(trailing) }
            header = h
        }
        guard let h = header else { throw EngineError("wfdb", "\(source): no record line (the header is empty)") }
        if let segments = h.segments {
            guard segments.count == declaredSegments else {
                throw EngineError(
                    "wfdb", "\(source): the record line declares \(declaredSegments) segments but \(segments.count) segment lines follow")
            }
            return h
        }
        guard h.signals.count == declaredSignals else {
            throw EngineError(
                "wfdb", "\(source): the record line declares \(declaredSignals) signals but \(h.signals.count) signal lines follow")
        }
        return h
    }

    static func parseRecordLine(_ line: String, at place: String) throws -> WFDBHeader {
        let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            .flatMap { $0.split(separator: "\t").map(String.init) }
        guard f.count >= 2 else { throw EngineError("wfdb", "\(place): record line '\(line)' needs at least a name and a signal count") }
        // name[/segments]
        let nameParts = f[0].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard !nameParts[0].isEmpty else { throw EngineError("wfdb", "\(place): record line '\(line)' has an empty record name") }
        var h = WFDBHeader(recordName: nameParts[0])
        if nameParts.count > 1 {
            guard let n = Int(nameParts[1]), n >= 1, n <= 1 << 20 else {
                throw EngineError("wfdb", "\(place): segment count '\(nameParts[1])' is not a number between 1 and \(1 << 20)")
            }
            h.segments = Array(repeating: WFDBSegment(name: "", samples: 0), count: n)
        }
        guard let nsig = Int(f[1]), nsig >= 0, nsig <= 4096 else {
            throw EngineError("wfdb", "\(place): signal count '\(f[1])' is not a number between 0 and 4096")
        }
        h.signals = Array(repeating: WFDBSignalSpec(fileName: "", format: 16), count: nsig)
        if f.count > 2 {
            // fs[/counterfreq[(basecounter)]]
            let parts = f[2].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let fs = Double(parts[0]), fs > 0, fs.isFinite else {
                throw EngineError("wfdb", "\(place): sampling frequency '\(parts[0])' is not a positive number")
            }
            h.samplingFrequency = fs
            if parts.count > 1 {
                let (value, paren) = splitParen(parts[1])
                h.counterFrequency = Double(value)
                if let p = paren { h.baseCounter = Double(p) }
            }
        }
        if f.count > 3 {
            guard let n = Int(f[3]), n >= 0 else {
                throw EngineError("wfdb", "\(place): sample count '\(f[3])' is not a non-negative integer")
            }
            h.sampleCount = n
        }
        if f.count > 4 { h.baseTime = f[4] }
        if f.count > 5 { h.baseDate = f[5] }
        return h
    }

    /// Splits `a(b)` into `("a", "b")`.
    static func splitParen(_ s: String) -> (String, String?) {
        guard let open = s.firstIndex(of: "("), let close = s.lastIndex(of: ")"), open < close else { return (s, nil) }
        return (String(s[..<open]), String(s[s.index(after: open)..<close]))
    }

    static func parseSegmentLine(_ line: String, at place: String) throws -> WFDBSegment {
        let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard f.count >= 2 else { throw EngineError("wfdb", "\(place): segment line '\(line)' needs a record name and a length") }
        guard let n = Int(f[1]), n >= 0 else {
            throw EngineError("wfdb", "\(place): segment length '\(f[1])' is not a non-negative integer")
        }
        guard f[0] == "~" || !(f[0].contains("/") || f[0] == "." || f[0] == "..") else {
            throw EngineError("wfdb", "\(place): segment name '\(f[0])' must name a record in the same folder")
        }
        return WFDBSegment(name: f[0], samples: n)
    }

    static func parseSignalLine(_ line: String, at place: String) throws -> WFDBSignalSpec {
        // Fields are separated by blanks; the description (last) may contain spaces.
        var fields: [String] = []
        var rest = Substring(line)
        while fields.count < 8 {
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            if rest.isEmpty { break }
            let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
            fields.append(String(rest[..<end]))
            rest = rest[end...]
        }
        let description = rest.trimmingCharacters(in: .whitespaces)
        guard fields.count >= 2 else { throw EngineError("wfdb", "\(place): signal line '\(line)' needs a file name and a format") }
        var s = WFDBSignalSpec(fileName: fields[0], format: 0)
        // format[xspf][:skew][+offset]
        var fmtField = Substring(fields[1])
        func takeSuffix(_ mark: Character) -> Substring? {
            guard let i = fmtField.firstIndex(of: mark) else { return nil }
            let tail = fmtField[fmtField.index(after: i)...]
            fmtField = fmtField[..<i]
            return tail
        }
        if let off = takeSuffix("+") {
            guard let v = Int(off), v >= 0 else {
                throw EngineError("wfdb", "\(place): byte offset '\(off)' is not a non-negative integer")
            }
            s.byteOffset = v
        }
        if let sk = takeSuffix(":") {
            guard let v = Int(sk), v >= 0 else { throw EngineError("wfdb", "\(place): skew '\(sk)' is not a non-negative integer") }
            s.skew = v
        }
        if let spf = takeSuffix("x") {
            guard let v = Int(spf), v >= 1, v <= 1 << 16 else {
                throw EngineError("wfdb", "\(place): samples per frame '\(spf)' is not a positive integer")
            }
            s.samplesPerFrame = v
        }
        guard let fmt = Int(fmtField) else { throw EngineError("wfdb", "\(place): format '\(fields[1])' is not a number") }
        guard supportedFormats.contains(fmt) else {
            throw EngineError(
                "wfdb",
                "\(place): signal format \(fmt) is not supported (supported: "
                    + "\(supportedFormats.sorted().map(String.init).joined(separator: ", ")))"
            )
        }
        s.format = fmt
        var baselineGiven = false
        if fields.count > 2 {
            // gain[(baseline)][/units]
            let gu = fields[2].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if gu.count > 1 { s.units = gu[1] }
            let (g, b) = splitParen(gu[0])
            guard let gain = Double(g), gain.isFinite else { throw EngineError("wfdb", "\(place): gain '\(g)' is not a number") }
            s.gain = gain == 0 ? 200 : gain
            if let b {
                guard let bv = Int(b) else { throw EngineError("wfdb", "\(place): baseline '\(b)' is not an integer") }
                s.baseline = bv
                baselineGiven = true
            }
        }
        func int(_ i: Int, _ what: String) throws -> Int? {
            guard fields.count > i else { return nil }
            guard let v = Int(fields[i]) else { throw EngineError("wfdb", "\(place): \(what) '\(fields[i])' is not an integer") }
            return v
        }
        if let v = try int(3, "ADC resolution") { s.adcResolution = v }
        if let v = try int(4, "ADC zero") { s.adcZero = v }
        if !baselineGiven { s.baseline = s.adcZero }
        if let v = try int(5, "initial value") { s.initialValue = v } else { s.initialValue = s.adcZero }
        s.checksum = try int(6, "checksum")
        if let v = try int(7, "block size") { s.blockSize = v }
        s.description = description
        return s
    }
}

import Foundation

/// Multi-segment WFDB records (`name/n` headers, as in the MIMIC waveform databases), joined into one
/// record as wfdb-python's `rdrecord` does (`m2s=True`).
///
/// - Fixed layout: every segment has the same signals; names and units come from the first segment.
/// - Variable layout: the first segment has length 0 and names a layout header whose signal lines
///   (file `~`) give the record's signal set; each segment's signals are placed by name, and signals a
///   segment lacks are NaN there.
/// - A segment named `~` is a gap: NaN in every signal.
/// `from`/`to` are frame numbers of the joined record and may cross segment boundaries.
enum WFDBMultiSegment {
    static func read(_ path: String, header: WFDBHeader, from: Int, to: Int?, frames: WFDB.FrameAveraging) throws -> ECGRecord {
        let hp = WFDB.headerPath(path)
        let dir = (hp as NSString).deletingLastPathComponent
        func segmentPath(_ name: String) -> String { dir.isEmpty ? name : dir + "/" + name }
        // Segments (and the layout) are single-segment records: one naming a multi-segment header, e.g. the
        // record itself, would recurse without end (found by fuzzing).
        func segmentHeader(_ name: String) throws -> WFDBHeader {
            let h = try WFDB.readHeader(segmentPath(name))
            guard h.segments == nil else { throw EngineError("wfdb", "\(hp): segment '\(name)' is itself a multi-segment record") }
            return h
        }
        var segments = header.segments ?? []
        var names: [String], units: [String]
        if let first = segments.first, first.samples == 0, first.name != "~" {
            let layout = try segmentHeader(first.name)
            names = layout.signals.map(\.description)
            units = layout.signals.map(\.units)
            segments.removeFirst()
        } else {
            guard let firstReal = segments.first(where: { $0.name != "~" }) else {
                throw EngineError("wfdb", "\(hp): every segment is a gap ('~'); there is no signal to read")
            }
            let h = try segmentHeader(firstReal.name)
            names = h.signals.map(\.description)
            units = h.signals.map(\.units)
        }
        let total = segments.reduce(0) { $0 + $1.samples }
        let length = header.sampleCount ?? total
        let lo = max(0, min(from, length)), hi = max(lo, min(to ?? length, length))
        let signal = Tensor(zeros: [names.count, hi - lo], zeroed: false)
        signal.fill(.nan)
        var start = 0
        for seg in segments {
            defer { start += seg.samples }
            let a = max(lo, start), b = min(hi, start + seg.samples)
            guard a < b, seg.name != "~" else { continue }
            try Cancellation.check("wfdb")
            let part = try WFDB.readSingle(
                segmentPath(seg.name), header: try segmentHeader(seg.name), from: a - start, to: b - start,
                frames: frames)
            guard part.sampleCount == b - a else {
                throw EngineError(
                    "wfdb", "\(hp): segment '\(seg.name)' has \(part.sampleCount + (a - start)) samples but the header says \(seg.samples)")
            }
            var taken = Set<Int>()
            for (c, lead) in part.leads.enumerated() {
                // Place by name (the first not yet filled of that name); a fixed layout by position.
                guard let row = names.indices.first(where: { names[$0] == lead && !taken.contains($0) }) else {
                    throw EngineError(
                        "wfdb",
                        "\(hp): segment '\(seg.name)' has signal '\(lead)', which the layout does not list "
                            + "(\(names.joined(separator: ", ")))"
                    )
                }
                taken.insert(row)
                let src = part.signal.data + c * part.sampleCount
                let dst = signal.data + row * (hi - lo) + (a - lo)
                dst.update(from: src, count: b - a)
            }
        }
        return ECGRecord(
            name: (header.recordName as NSString).lastPathComponent, rate: header.samplingFrequency, leads: names,
            units: units, signal: signal, comments: header.comments)
    }
}

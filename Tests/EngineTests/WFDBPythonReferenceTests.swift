import Foundation
import Testing
@testable import Engine

/// WFDB reading compared with wfdb-python 4.3 on its own sample-data (multi-frequency, skewed, FLAC,
/// format 310/311, `.mat`, multi-segment fixed and variable layouts, gaps, windows across segment
/// boundaries) and its annotation files. Reference: `scripts/make_wfdb_python_reference.py`.
@Suite struct WFDBPythonReferenceTests {
    struct SignalRef: Decodable { let n: Int; let nan: Int; let sum: Double; let abs_sum: Double; let head: [Double?]; let tail: [Double?] }
    struct RecordRef: Decodable {
        let `case`: String, path: String, fs: Double, sig_name: [String], units: [String?], sig_len: Int
        let samps_per_frame: [Int], signals: [SignalRef]
        let args: [String: Arg]?
    }
    enum Arg: Decodable {
        case int(Int), bool(Bool)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) } else { self = .int(try c.decode(Int.self)) }
        }
        var int: Int? { if case .int(let i) = self { return i } else { return nil } }
    }
    struct AnnotationRef: Decodable { let file: String; let rows: [[Row]] }
    enum Row: Decodable, Equatable {
        case int(Int), text(String), null
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let i = try? c.decode(Int.self) {
                self = .int(i)
            } else {
                self = .text(try c.decode(String.self))
            }
        }
    }
    struct Reference: Decodable { let records: [RecordRef]; let annotations: [AnnotationRef] }

    static let dir = Fixtures.root.appendingPathComponent("wfdb-python").path
    static func loadReference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: try Data(contentsOf: URL(fileURLWithPath: dir + "/reference.json")))
    }
    /// Empty when the file does not decode; `referenceIsPresent` then fails with the decoding error.
    static let reference = (try? loadReference()) ?? Reference(records: [], annotations: [])
    static let expandedCases = Set(["test01_00s_frame-expanded", "mixedsignals-expanded", "03700181-expanded"])

    /// The signals ecgs reads for a reference case, one row of values per signal.
    static func read(_ r: RecordRef, frames: WFDB.FrameAveraging = .truncate) throws -> (
        leads: [String], units: [String], rate: Double, rows: [[Float]]
    ) {
        let path = dir + "/" + r.path
        let from = r.args?["sampfrom"]?.int ?? 0, to = r.args?["sampto"]?.int
        if expandedCases.contains(r.case) {
            let parts = try WFDB.readExpanded(path, from: from, to: to)
            return (
                parts.flatMap(\.leads), parts.flatMap(\.units), parts[0].rate,
                parts.map { Array(UnsafeBufferPointer(start: $0.signal.data, count: $0.signal.count)) }
            )
        }
        let rec = try WFDB.read(path, from: from, to: to, frames: frames)
        let n = rec.sampleCount
        return (
            rec.leads, rec.units, rec.rate,
            (0..<rec.leads.count).map { Array(UnsafeBufferPointer(start: rec.signal.data + $0 * n, count: n)) }
        )
    }

    @Test func referenceIsPresent() throws {
        let r = try Self.loadReference()
        #expect(r.records.count == 28 && r.annotations.count == 10)
    }

    @Test(arguments: reference.records.map(\.case))
    func recordEqualsWfdbPython(name: String) throws {
        let r = try #require(Self.reference.records.first { $0.case == name })
        let got = try Self.read(r)
        #expect(got.leads == r.sig_name)
        // wfdb-python leaves a unit out (null) where segments disagree or lack the signal.
        for (a, b) in zip(got.units, r.units) where b != nil { #expect(a == b) }
        #expect(abs(got.rate - r.fs) < 1e-9 || Self.expandedCases.contains(name))
        #expect(got.rows.count == r.signals.count)
        for (s, (row, ref)) in zip(got.rows, r.signals).enumerated() {
            #expect(row.count == ref.n, "signal \(s) length")
            guard row.count == ref.n else { continue }
            #expect(row.filter(\.isNaN).count == ref.nan, "signal \(s) NaN count")
            var sum = 0.0, absSum = 0.0
            for v in row where !v.isNaN { sum += Double(v); absSum += Double(abs(v)) }
            #expect(abs(sum - ref.sum) <= 2e-6 * max(ref.abs_sum, 1), "signal \(s) sum \(sum) vs \(ref.sum)")
            let ours = Array(row.prefix(40)) + Array(row.suffix(40)), theirs = ref.head + ref.tail
            for (a, b) in zip(ours, theirs) {
                if let b { #expect(abs(Double(a) - b) <= 1e-6 * max(1, abs(b)), "signal \(s): \(a) vs \(b)") } else { #expect(a.isNaN) }
            }
        }
    }

    /// The one documented difference: by default a frame's mean is rounded to the nearest ADC unit (the
    /// WFDB library's getvec); wfdb-python truncates it. They differ by at most one ADC unit, only in
    /// signals with several samples per frame.
    @Test(arguments: ["mixedsignals", "test01_00s_frame", "test01_00s_skewframe", "fixed1", "03700181"])
    func roundedFrameMeansDifferFromWfdbPythonByAtMostOneUnit(name: String) throws {
        let r = try #require(Self.reference.records.first { $0.case == name })
        let header = try WFDB.readHeader(Self.dir + "/" + r.path)
        let rounded = try Self.read(r, frames: .round), truncated = try Self.read(r, frames: .truncate)
        var differing = 0
        for (s, (a, b)) in zip(rounded.rows, truncated.rows).enumerated() {
            let spec = header.signals.isEmpty ? nil : header.signals[s]
            for (x, y) in zip(a, b) where !(x.isNaN && y.isNaN) {
                if x != y { differing += 1 }
                if let spec { #expect(abs(Double(x - y)) * spec.gain <= 1.0001, "signal \(s)") }
                if spec?.samplesPerFrame == 1 || spec == nil { #expect(x == y) }
            }
        }
        let multiFrequency = header.signals.contains { $0.samplesPerFrame > 1 }
        #expect(multiFrequency == (differing > 0), "\(differing) differing values")
    }

    @Test(arguments: reference.annotations.map(\.file))
    func annotationsEqualWfdbPython(file: String) throws {
        let ref = try #require(Self.reference.annotations.first { $0.file == file })
        let anns = try WFDBAnnotation.read(Self.dir + "/" + file)
        #expect(anns.count == ref.rows.count)
        for (a, row) in zip(anns, ref.rows) {
            // wfdb-python has no symbol for some codes (null); ecgs names them as rdann does, [code].
            let symbol: Row = row[1] == .null && a.symbol == "[\(a.code)]" ? .null : .text(a.symbol)
            let got: [Row] = [.int(a.sample), symbol, .int(a.subtype), .int(a.channel), .int(a.number), .text(a.aux), .int(a.code)]
            #expect(got == row, "annotation at \(a.sample)")
            if got != row { return }
        }
    }

    @Test func headerBlockIsConsumed() throws {
        let f = try WFDBAnnotationFile.read(Self.dir + "/custom-labels.atr")
        #expect(f.customLabels[1]?.symbol == "z" && f.customLabels[4]?.description == "custom r")
        #expect(f.timeResolution == 250)
        #expect(f.annotations.map(\.symbol) == ["z", "l", "v", "r", "z"])
        #expect(try WFDBAnnotation.read(Self.dir + "/1003.atr").count == 957)
    }
}

/// Damaged multi-segment and FLAC records: errors that name the file and the problem.
@Suite struct WFDBDamagedRecordTests {
    static let src = WFDBPythonReferenceTests.dir

    func copy(_ files: [String], from sub: String = "") throws -> String {
        let dir = Fixtures.tempDir()
        for f in files { try FileManager.default.copyItem(atPath: Self.src + "/" + sub + f, toPath: dir + "/" + f) }
        return dir
    }

    @Test func missingSegmentIsNamed() throws {
        let dir = try copy(["v102s.hea", "v102s_1.hea", "v102s_2.hea", "v102s.dat"], from: "multi-segment/fixed1/")
        #expect { try WFDB.read(dir + "/v102s") } throws: { e in
            "\(e)".contains("v102s_3.hea") && "\(e)".contains("does not exist")
        }
        // A window that stays inside the present segments reads.
        #expect(try WFDB.read(dir + "/v102s", from: 100, to: 200).sampleCount == 100)
    }

    @Test func segmentSignalMissingFromLayout() throws {
        let dir = try copy(["041s.hea", "041s01.hea", "041s01.dat", "041s02.hea", "041s02.dat"], from: "multi-segment/041s/")
        let layout = dir + "/041s.hea"
        let text = try String(contentsOfFile: layout, encoding: .utf8)
        // Turn the record into a variable layout whose layout header lacks the segments' ABP signal.
        let variable = text.replacingOccurrences(of: "041s/2 7", with: "041s/3 7")
            .replacingOccurrences(of: "041s01 1000", with: "lay 0\n041s01 1000")
        try variable.write(toFile: layout, atomically: true, encoding: .utf8)
        try "lay 1 125 0\n~ 0 200/mV 12 0 0 0 0 III\n".write(toFile: dir + "/lay.hea", atomically: true, encoding: .utf8)
        #expect { try WFDB.read(dir + "/041s") } throws: { e in "\(e)".contains("which the layout does not list") }
    }

    @Test func damagedFLACIsAnErrorNotACrash() throws {
        let dir = try copy(["flacformats.hea", "flacformats.d0", "flacformats.d1", "flacformats.d2"])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/flacformats.d1"))
        for i in stride(from: 60, to: bytes.count, by: 7) { bytes[i] ^= 0x5A }
        try bytes.write(to: URL(fileURLWithPath: dir + "/flacformats.d1"))
        #expect { try WFDB.read(dir + "/flacformats") } throws: { e in "\(e)".contains("flacformats.d1") }
        try Data("not flac at all".utf8).write(to: URL(fileURLWithPath: dir + "/flacformats.d2"))
        try FileManager.default.copyItem(atPath: Self.src + "/flacformats.d1", toPath: dir + "/d1-good")
        try FileManager.default.removeItem(atPath: dir + "/flacformats.d1")
        try FileManager.default.moveItem(atPath: dir + "/d1-good", toPath: dir + "/flacformats.d1")
        #expect { try WFDB.read(dir + "/flacformats") } throws: { e in "\(e)".contains("flacformats.d2") && "\(e)".contains("FLAC") }
    }
}

extension WFDBDamagedRecordTests {
    /// FLAC's constant subframes make 20 KB stand for 5.6 M samples × 3 signals: decoding stops at the
    /// header's length (a shorter header reads the same first samples without decoding the rest), and a
    /// header without a length cannot expand past the memory available (found by libFuzzer: small inputs
    /// decoding to hundreds of megabytes).
    @Test func flacStopsAtTheHeadersLengthAndTheMemoryAvailable() throws {
        let full = try WFDB.read(Self.src + "/flac_3_constant")
        let dir = try copy(["flac_3_constant.hea", "flac_3_constant.dat"])
        // The signals are constant (25, 50, 75): the checksums of 1,000 samples are 25,000, 50,000 and 75,000 mod 65,536.
        let header =
            "flac_3_constant 3 250 1000\n"
            + [(25, 25000, 0), (50, 50000, 1), (75, 75000 % 65536, 2)].map {
                "flac_3_constant.dat 508 200 8 0 \($0.0) \($0.1) 0 col \($0.2)\n"
            }.joined()
        try header.write(toFile: dir + "/flac_3_constant.hea", atomically: true, encoding: .utf8)
        let short = try WFDB.read(dir + "/flac_3_constant")
        #expect(short.sampleCount == 1000)
        #expect((0..<1000).map { short.signal.data[$0] } == (0..<1000).map { full.signal.data[$0] })
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/flac_3_constant.dat"))
        let all = try WFDBFLAC.decode(data, from: 0, path: "f.dat", channels: 3, bits: 8)
        #expect(all.map(\.count) == [5_600_000, 5_600_000, 5_600_000])
        #expect(try WFDBFLAC.decode(data, from: 0, path: "f.dat", channels: 3, bits: 8, limit: 10).map(\.count) == [10, 10, 10])
        #expect { try WFDBFLAC.decode(data, from: 0, path: "f.dat", channels: 3, bits: 8, availableBytes: 12 << 20) } throws: {
            "\($0)".contains("f.dat") && "\($0)".contains("more than the memory available")
        }
    }

    /// A multi-segment header whose segment is the record itself recursed until the stack overflowed
    /// (found by libFuzzer); segments must be single-segment records.
    @Test func selfReferencingSegmentIsRefused() throws {
        let dir = Fixtures.tempDir()
        try "r/2 1 100 20\nr 10\nr 10\n".write(toFile: dir + "/r.hea", atomically: true, encoding: .utf8)
        #expect { try WFDB.read(dir + "/r") } throws: { "\($0)".contains("segment 'r' is itself a multi-segment record") }
        try "r/2 1 100 20\nlay 0\nr 10\n".write(toFile: dir + "/r.hea", atomically: true, encoding: .utf8)
        try "lay 1 100 0\n~ 0 200 12 0 0 0 0 II\n".write(toFile: dir + "/lay.hea", atomically: true, encoding: .utf8)
        #expect { try WFDB.read(dir + "/r") } throws: { "\($0)".contains("segment 'r' is itself a multi-segment record") }
    }
}

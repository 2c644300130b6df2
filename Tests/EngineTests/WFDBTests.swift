import Foundation
import Testing
@testable import Engine

/// WFDB reading and writing, checked against the reference outputs of the WFDB C tools
/// (`Tests/Fixtures/wfdb/reference-output`, see the README there).
@Suite struct WFDBTests {
    @Test func test01DigitalEqualsRdsamp() throws {
        let d = try WFDB.readDigital(Fixtures.wfdb("test01_00s"))
        let ref = try Fixtures.lines(Fixtures.wfdb("reference-output/record-1a"))
        #expect(d.frames == 4000 && ref.count == 4000)
        for (i, line) in ref.enumerated() {
            let v = line.split(separator: "\t").map { Int32($0.trimmingCharacters(in: .whitespaces))! }
            for s in 0..<4 where d.samples[s][i] != v[s] {
                Issue.record("sample \(i) signal \(s): \(d.samples[s][i]) ≠ \(v[s])"); return
            }
        }
    }

    @Test func record100Format212EqualsRdsamp() throws {
        // rdsamp -r 100 -f 0.002 -t 30 -s 1: signal 1, samples 1..<10800
        let d = try WFDB.readDigital(Fixtures.wfdb("100"), from: 1, to: 10800)
        let ref = try Fixtures.lines(Fixtures.wfdb("reference-output/record-2b")).map { Int32($0.trimmingCharacters(in: .whitespaces))! }
        #expect(d.samples[1] == ref)
        #expect(d.header.comments.first?.hasPrefix("record 100") == true)
        #expect(d.header.signals.map(\.description) == ["MLII", "V5"])
    }

    @Test func physicalValuesEqualRdsampTo3Decimals() throws {
        let r = try WFDB.read(Fixtures.wfdb("100s"), from: 3600, to: 3960)
        let ref = try Fixtures.lines(Fixtures.wfdb("reference-output/100s-rdsamp.out")).dropFirst(2)
        #expect(ref.count == 360 && r.sampleCount == 360)
        for (i, line) in ref.enumerated() {
            let v = line.split(separator: "\t").map { Double($0.trimmingCharacters(in: .whitespaces))! }
            for s in 0..<2 {
                let ours = Double(r.signal.data[s * 360 + i])
                #expect(abs(ours - v[s + 1]) <= 0.0005 + 1e-6, "sample \(i) signal \(s)")
            }
        }
        #expect(r.leads == ["MLII", "V5"] && r.rate == 360)
    }

    @Test(arguments: [("100.atr", "ann-1"), ("100s.atr", "100s-rdann.out")])
    func annotationsEqualRdann(file: String, reference: String) throws {
        let anns = try WFDBAnnotation.read(Fixtures.wfdb(file))
        let ref = try Fixtures.lines(Fixtures.wfdb("reference-output/\(reference)"))
        #expect(anns.count == ref.count)
        for (a, line) in zip(anns, ref) {
            let tab = line.split(separator: "\t", omittingEmptySubsequences: false)
            let f = tab[0].split(separator: " ")
            let aux = tab.count > 1 ? String(tab[1]) : ""
            let expected = (Int(f[1])!, String(f[2]), Int(f[3])!, Int(f[4])!, Int(f[5])!, aux)
            let got = (a.sample, a.symbol, a.subtype, a.channel, a.number, a.aux)
            #expect(got == expected, "annotation at \(a.sample)")
            if got != expected { return }
        }
    }

    @Test func everyBinaryFormatMatchesItsChecksum() throws {
        // binformats holds one signal per format, verified against the header checksums on read.
        let d = try WFDB.readDigital(Fixtures.wfdb("binformats"))
        #expect(d.header.signals.map(\.format) == [8, 16, 61, 80, 160, 212, 310, 311, 24, 32])
        #expect(d.frames == 499)
        for (i, s) in d.header.signals.enumerated() {
            #expect(d.samples[i][0] == Int32(s.initialValue), "format \(s.format) first sample")
        }
        // A wrong decoder fails the checksum: flipping one format-212 byte must be detected.
        let dir = Fixtures.tempDir()
        for f in ["hea", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"] {
            try FileManager.default.copyItem(atPath: Fixtures.wfdb("binformats.\(f)"), toPath: dir + "/binformats.\(f)")
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/binformats.d5"))
        bytes[10] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: dir + "/binformats.d5"))
        #expect(throws: EngineError.self) { try WFDB.readDigital(dir + "/binformats") }
    }

    @Test func oddSampleCountInFormat212() throws {
        let d = try WFDB.readDigital(Fixtures.wfdb("100_3chan"))
        #expect(d.frames == 999)
        #expect(d.header.samplingFrequency == 360 && d.header.signals[0].baseline == 1024 && d.header.signals[0].gain == 200)
    }

    @Test func twoSignalFilesAndHeaderComments() throws {
        let r = try WFDB.read(Fixtures.wfdb("s0010_re"))
        #expect(r.signal.shape == [15, 1000])
        #expect(r.leads.last == "vz" && r.rate == 1000)
        // vx (first signal of the .xyz file) is the first int16 of each 6-byte frame, / 2000.
        let xyz = try Data(contentsOf: URL(fileURLWithPath: Fixtures.wfdb("s0010_re.xyz")))
        let raw = xyz.withUnsafeBytes { Int16(littleEndian: $0.loadUnaligned(fromByteOffset: 6 * 10, as: Int16.self)) }
        #expect(r.signal.data[12 * 1000 + 10] == Float(Double(raw) / 2000))
    }

    @Test func ptbxlValuesFromTheDataReadme() throws {
        let lr = try WFDB.read(Fixtures.ptbxlSample + "/records100/00000/00001_lr")
        #expect(lr.leads == standardLeads && lr.signal.shape == [12, 1000] && lr.rate == 100)
        let lead1 = (0..<5).map { Double(lr.signal.data[$0]) }
        for (a, b) in zip(lead1, [-0.119, -0.116, -0.120, -0.117, -0.103]) { #expect(abs(a - b) < 1e-6) }
        #expect(abs(Double(lr.signal.data[11 * 1000 + 999]) + 0.120) < 1e-6)
        let hr = try WFDB.read(Fixtures.wfdb("ptbxl500/00001_hr"))
        #expect(hr.signal.shape == [12, 5000])
        for (i, v) in [(0, -0.115), (10, -0.130), (4999, 0.210)] { #expect(abs(Double(hr.signal.data[i]) - v) < 1e-6) }
    }

    @Test func headerGrammarDefaultsAndVariants() throws {
        let text =
            "# leading comment\r\n\r\nrec 3 500/1000(7) 20 10:21:03 25/12/2020\r\n"
            + "rec.dat 16x2:1+8 2.5e2(-3)/uV 12 0 5 0 0 lead with spaces\n" + "# middle\n" + "rec.dat 16\n" + "other.dat 212 0 12 4\n"
        let h = try WFDBHeader.parse(text, source: "t.hea")
        #expect(h.samplingFrequency == 500 && h.counterFrequency == 1000 && h.baseCounter == 7)
        #expect(h.sampleCount == 20 && h.baseTime == "10:21:03" && h.baseDate == "25/12/2020")
        #expect(h.comments == ["leading comment", "middle"])
        let a = h.signals[0]
        #expect(a.samplesPerFrame == 2 && a.skew == 1 && a.byteOffset == 8 && a.gain == 250 && a.baseline == -3)
        #expect(a.units == "uV" && a.description == "lead with spaces" && a.initialValue == 5)
        let b = h.signals[1]
        #expect(b.gain == 200 && b.units == "mV" && b.baseline == 0)
        let c = h.signals[2]
        #expect(c.gain == 200 && c.adcZero == 4 && c.baseline == 4 && c.initialValue == 4)
        let bare = try WFDBHeader.parse("x 0\n", source: "x.hea")
        #expect(bare.samplingFrequency == 250 && bare.sampleCount == nil)
    }

    @Test(arguments: [
        ("", "no record line"),
        ("r 2 100 10\nr.dat 16\n", "declares 2 signals but 1 signal lines follow"),
        ("r 1 100 10\nr.dat 16\nr.dat 16\n", "more signal lines than the 1"),
        ("r 1 100 10\nr.dat 17\n", "signal format 17 is not supported"),
        ("r 1 abc 10\n", "sampling frequency 'abc'"),
        ("r 1 100 -5\n", "sample count '-5'"),
        ("r/2 1 100\n", "declares 2 segments but 0 segment lines follow"),
        ("/ 12 100 1000\n", "empty record name"), // trapped (SIGILL) before
        ("/x 12 100 1000\n", "empty record name"),
        ("r/x 1 100\n", "segment count 'x'"),
        ("r/0 1 100\n", "segment count '0'"),
        ("r/1 1 100\nseg\n", "segment line 'seg' needs a record name and a length"),
        ("r/1 1 100\nseg -3\n", "segment length '-3'"),
        ("r/1 1 100\n../other 10\n", "must name a record in the same folder"),
        ("r/1 1 100\na 10\nb 10\n", "more segment lines than the 1"),
        ("r 1 / 10\n", "sampling frequency ''"), // trapped before
        ("r 1 100 10\nr.dat 16 /mV\n", "gain '' is not a number"), // trapped before
        ("r 1 100 10\nr.dat 16 x1\n", "gain 'x1' is not a number"),
        ("r 1 100 10\nr.dat 16 200 12 z\n", "ADC zero 'z'")
    ])
    func malformedHeaders(text: String, message: String) {
        do {
            _ = try WFDBHeader.parse(text, source: "bad.hea")
            Issue.record("accepted: \(text)")
        } catch let e as EngineError {
            #expect(e.message.contains(message), "\(e.message)")
            #expect(e.message.hasPrefix("bad.hea"))
        } catch { Issue.record("\(error)") }
    }

    @Test func damagedAndMissingFiles() throws {
        let dir = Fixtures.tempDir()
        // Checksum mismatch: header of test01_00s with a changed checksum.
        let hea = try String(contentsOfFile: Fixtures.wfdb("test01_00s.hea"), encoding: .utf8).replacingOccurrences(
            of: " 114 ", with: " 115 ")
        try hea.write(toFile: dir + "/test01_00s.hea", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Fixtures.wfdb("test01_00s.dat"), toPath: dir + "/test01_00s.dat")
        #expect(throws: EngineError.self) { try WFDB.readDigital(dir + "/test01_00s") }
        do { _ = try WFDB.readDigital(dir + "/test01_00s") } catch let e as EngineError {
            #expect(e.message.contains("checksum of signal 0"))
        }
        // Truncated signal file.
        try Data(count: 100).write(to: URL(fileURLWithPath: dir + "/test01_00s.dat"))
        do { _ = try WFDB.readDigital(dir + "/test01_00s"); Issue.record("accepted") } catch let e as EngineError {
            #expect(e.message.contains("holds 12 frames"), "\(e.message)")
        }
        do { _ = try WFDB.read(dir + "/nope"); Issue.record("accepted") } catch let e as EngineError {
            #expect(e.message.contains("nope.hea' does not exist"))
        }
    }

    @Test func writtenRecordsReadBackIdentically() throws {
        let src = try WFDB.read(Fixtures.ptbxlSample + "/records100/00000/00002_lr")
        let dir = Fixtures.tempDir()
        var rec = src
        rec.signal.data[5] = .nan
        try WFDB.write(rec, to: dir, name: "copy")
        let back = try WFDB.read(dir + "/copy")
        #expect(back.leads == src.leads && back.rate == 100 && back.signal.shape == src.signal.shape)
        #expect(back.signal.data[5].isNaN)
        for i in 0..<src.signal.count where i != 5 { #expect(back.signal.data[i] == src.signal.data[i]) }
        // Same header layout as PTB-XL's own (checksums pass, gain 1000).
        let h = try WFDB.readHeader(dir + "/copy")
        #expect(h.signals.allSatisfy { $0.gain == 1000 && $0.format == 16 })
        // Large amplitudes lower the gain instead of overflowing.
        let big = ECGRecord(name: "big", rate: 250, leads: ["A"], signal: Tensor([100, -50, 0.25], shape: [1, 3]))
        try WFDB.write(big, to: dir)
        let b = try WFDB.read(dir + "/big")
        #expect(abs(b.signal.data[0] - 100) < 0.01 && abs(b.signal.data[2] - 0.25) < 0.01)
    }
}

func correlation(_ a: [Double], _ b: [Double]) -> Double {
    let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for (x, y) in zip(a, b) { sab += (x - ma) * (y - mb); saa += (x - ma) * (x - ma); sbb += (y - mb) * (y - mb) }
    return sab / (saa * sbb).squareRoot()
}

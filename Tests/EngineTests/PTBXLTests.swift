import Foundation
import Testing
@testable import Engine

/// The PTB-XL loader on the real sample in data/ptbxl-sample, against the benchmark's task
/// construction re-done in Python (scripts/make_ptbxl_reference.py → Tests/Fixtures/ptbxl/tasks.json).
@Suite(.serialized) struct PTBXLTests {
    struct TaskRef: Decodable {
        var classes: [String]
        var records: [Int]
        var train_counts: [Int]
        var val_count: Int
        var test_count: Int
        var train_mean: Double?
        var train_std: Double?
    }
    static let reference: [String: TaskRef] = {
        let url = Fixtures.root.appendingPathComponent("ptbxl/tasks.json")
        return (try? JSONDecoder().decode([String: TaskRef].self, from: Data(contentsOf: url))) ?? [:]
    }()

    init() { setenv("ECGS_CACHE", Fixtures.tempDir(), 1) }

    @Test(arguments: PTBXLTask.allCases)
    func tasksMatchTheBenchmarkConstruction(task: PTBXLTask) throws {
        let ref = try #require(Self.reference[task.rawValue])
        let ds = try PTBXL.load(dir: Fixtures.ptbxlSample, task: task, rate: 100, useCache: false)
        #expect(ds.classes == ref.classes)
        #expect(ds.recordNames == ref.records.map { String(format: "%05d", $0) })
        #expect(ds.train.classCounts() == ref.train_counts)
        #expect(ds.val.count == ref.val_count && ds.test.count == ref.test_count)
        #expect(ds.train.count + ds.val.count + ds.test.count == ds.count)
        #expect(ds.signals.shape == [ref.records.count, 12, 1000])
    }

    @Test func standardisationFittedOnTrainingSplit() throws {
        let ref = try #require(Self.reference["superdiagnostic"])
        let ds = try PTBXL.load(dir: Fixtures.ptbxlSample, task: .superdiagnostic, useCache: false)
        let s = try #require(ds.standardization)
        #expect(abs(Double(s.mean) - ref.train_mean!) < 1e-7)
        #expect(abs(Double(s.std) - ref.train_std!) / ref.train_std! < 1e-6)
        var none: SeededRandom? = nil
        let (x, y) = try ds.test.batch([0], rng: &none)
        let r = try ds.test.record(0)
        #expect(abs(x.data[7] - (r.signal.data[7] - s.mean) / s.std) < 1e-6)
        #expect(y.shape == [1, 5])
    }

    @Test func cacheIsUsedAndInvalidated() throws {
        let dir = Fixtures.tempDir()
        try FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: Fixtures.ptbxlSample, toPath: dir)
        let a = try PTBXL.load(dir: dir, task: .rhythm)
        let cached = try PTBXL.load(dir: dir, task: .rhythm)
        #expect(a.signals.values == cached.signals.values)
        // Change one record: the cache must not serve the old values.
        var rec = try WFDB.read(dir + "/records100/00000/00003_lr")
        rec.signal.data[0] = 1.5
        try WFDB.write(rec, to: dir + "/records100/00000", name: "00003_lr")
        let fresh = try PTBXL.load(dir: dir, task: .rhythm)
        let i = try #require(fresh.recordNames.firstIndex(of: "00003"))
        #expect(fresh.signals.data[i * 12_000] == 1.5)
    }

    @Test func foldsSubsetAndBatches() throws {
        let ds = try PTBXL.load(dir: Fixtures.ptbxlSample, task: .superdiagnostic, folds: [9, 10], standardize: false, useCache: false)
        #expect(Set(ds.folds) == [9, 10] && ds.train.count == 0)
        let b = try ds.batchPositions(size: 8, seed: 3)
        #expect(b.count == (ds.count + 7) / 8 && Set(b.flatMap { $0 }) == Set(0..<ds.count))
        #expect(try ds.batchPositions(size: 8, seed: 3) == b)
        #expect(try ds.batchPositions(size: 8, seed: 4) != b)
        var rng: SeededRandom? = SeededRandom(seed: 1)
        let (x, _) = try ds.batch([0, 1], crop: 250, rng: &rng)
        #expect(x.shape == [2, 12, 250])
    }

    @Test func badFoldersNameTheFileAndRow() throws {
        let dir = Fixtures.tempDir()
        try FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: Fixtures.ptbxlSample, toPath: dir)
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "accepted" } catch { return "\(error)" }
        }
        try FileManager.default.removeItem(atPath: dir + "/records100/00000/00005_lr.dat")
        #expect(
            message { _ = try PTBXL.load(dir: dir, useCache: false) }.contains(
                "record of ecg_id 5 (records100/00000/00005_lr): file '\(dir)/records100/00000/00005_lr.dat' does not exist"))
        var csv = try String(contentsOfFile: dir + "/ptbxl_database.csv", encoding: .utf8)
        csv = csv.replacingOccurrences(of: "{'NORM': 100.0, 'LVOLT': 0.0, 'SR': 0.0}", with: "{'NORM': 100.0, 'XYZ': 0.0}")
        try csv.write(toFile: dir + "/ptbxl_database.csv", atomically: true, encoding: .utf8)
        #expect(
            message { _ = try PTBXL.load(dir: dir) } == "ptbxl: \(dir)/ptbxl_database.csv:2: code 'XYZ' is not in \(dir)/scp_statements.csv"
        )
        csv = csv.replacingOccurrences(of: "{'NORM': 100.0, 'XYZ': 0.0}", with: "{'NORM' 100.0}")
        try csv.write(toFile: dir + "/ptbxl_database.csv", atomically: true, encoding: .utf8)
        #expect(
            message { _ = try PTBXL.load(dir: dir) }
                == "ptbxl: \(dir)/ptbxl_database.csv:2: scp_codes '{'NORM' 100.0}': expected ':' at character 9")
        try "ecg_id,strat_fold\n1,1\n".write(toFile: dir + "/ptbxl_database.csv", atomically: true, encoding: .utf8)
        #expect(
            message { _ = try PTBXL.load(dir: dir) }
                == "ptbxl: \(dir)/ptbxl_database.csv: no column 'scp_codes' (columns: ecg_id, strat_fold)")
        #expect(message { _ = try PTBXL.load(dir: dir + "/missing") } == "ptbxl: file '\(dir)/missing/scp_statements.csv' does not exist")
        #expect(message { _ = try PTBXL.load(dir: dir, rate: 250) } == "ptbxl: rate must be 100 or 500 Hz, got 250")
    }

    @Test func scpCodeLiterals() throws {
        #expect(try SCPCodes.parse("{}", place: "x").isEmpty)
        let c = try SCPCodes.parse("{'IMI': 35.0, \"NDT\": 1e2,}", place: "x")
        #expect(c.map(\.code) == ["IMI", "NDT"] && c.map(\.likelihood) == [35, 100])
        for bad in ["", "{", "{'A': }", "{'A': 1.0", "{'A': 1.0} x", "{A: 1}"] {
            #expect(throws: EngineError.self) { try SCPCodes.parse(bad, place: "x") }
        }
    }
}

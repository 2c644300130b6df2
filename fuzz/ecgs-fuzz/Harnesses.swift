import DSL
import Engine
import Foundation

// The fuzz harnesses: one per parser of outside input, each with seed files from real data. They are
// driven by libFuzzer (LibFuzzerEntry.swift, built by scripts/fuzz with -sanitize=fuzzer,address) and,
// in an ordinary build, by Driver.swift (replaying kept inputs in the tests, exporting seeds, and a
// seeded mutation loop for machines without the fuzzer runtime). A parser may throw: that is the expected
// answer to bad input. A crash, a hang or an abort is a failure.

struct Harness {
    let name: String
    let seeds: () -> [Data]
    let run: (Data, String) throws -> Void // input, a scratch folder
}

let repo = FileManager.default.currentDirectoryPath
let shared = repo + "/../shared/data"

func files(_ dirs: [String], _ suffixes: [String]) -> [Data] {
    var out: [Data] = []
    for d in dirs {
        guard let e = FileManager.default.enumerator(atPath: d) else { continue }
        for case let f as String in e where suffixes.contains(where: { f.hasSuffix($0) }) {
            if let data = FileManager.default.contents(atPath: d + "/" + f), data.count <= 4 << 20 { out.append(data) }
        }
    }
    return out
}

func write(_ data: Data, _ path: String) { FileManager.default.createFile(atPath: path, contents: data) }

let wfdbDirs = [
    shared + "/wfdb-samples", repo + "/Tests/Fixtures/wfdb", repo + "/Tests/Fixtures/wfdb-python",
    repo + "/Tests/Fixtures/wfdb-python/multi-segment/041s", repo + "/data/ptbxl-sample/records100/00000"
]

/// Pairs a header with its signal file as one input: header bytes, a 0xFF separator line, signal bytes.
func recordSeeds() -> [Data] {
    var out: [Data] = []
    for d in wfdbDirs {
        guard let items = try? FileManager.default.contentsOfDirectory(atPath: d) else { continue }
        for h in items.sorted() where h.hasSuffix(".hea") {
            guard let hea = FileManager.default.contents(atPath: d + "/" + h),
                let header = try? WFDBHeader.parse(String(decoding: hea, as: UTF8.self), source: h),
                let file = header.signals.first?.fileName,
                let dat = FileManager.default.contents(atPath: d + "/" + file), dat.count <= 1 << 20
            else { continue }
            out.append(hea + Data("\n\u{FF}SIGNAL\u{FF}\n".utf8) + dat)
        }
    }
    return out
}

let harnesses: [Harness] = [
    Harness(name: "wfdb-header", seeds: { files(wfdbDirs, [".hea"]) }) { d, _ in
        _ = try WFDBHeader.parse(String(decoding: d, as: UTF8.self), source: "fuzz.hea")
    },
    Harness(name: "wfdb-record", seeds: recordSeeds) { d, dir in
        let sep = Data("\n\u{FF}SIGNAL\u{FF}\n".utf8)
        let cut = d.range(of: sep)
        let hea = cut.map { d[..<$0.lowerBound] } ?? d
        let dat = cut.map { d[$0.upperBound...] } ?? Data()
        write(Data(hea), dir + "/rec.hea")
        // Every file the (possibly mutated) header names gets the signal bytes.
        if let h = try? WFDBHeader.parse(String(decoding: hea, as: UTF8.self), source: "rec.hea") {
            for s in h.signals where !s.fileName.contains("/") && !s.fileName.isEmpty && s.fileName.count < 100 {
                write(Data(dat), dir + "/" + s.fileName)
            }
        }
        _ = try WFDB.read(dir + "/rec")
    },
    Harness(name: "annotations", seeds: { files(wfdbDirs, [".atr"]) }) { d, dir in
        write(d, dir + "/a.atr")
        _ = try WFDBAnnotation.read(dir + "/a.atr")
    },
    Harness(name: "csv", seeds: { files([shared + "/ptbxl-sample", repo + "/data/ptbxl-sample", repo + "/Tests/Fixtures"], [".csv"]) }) {
        d, dir in
        write(d, dir + "/t.csv")
        _ = try CSVFile.read(dir + "/t.csv")
        _ = try Table.read(dir + "/t.csv")
    },
    Harness(name: "ptbxl", seeds: { files([repo + "/data/ptbxl-sample"], ["ptbxl_database.csv"]) }) { d, dir in
        // A PTB-XL folder whose database CSV is the input (statements and records are the real ones).
        let src = repo + "/data/ptbxl-sample"
        if !FileManager.default.fileExists(atPath: dir + "/records100") {
            try? FileManager.default.createSymbolicLink(atPath: dir + "/records100", withDestinationPath: src + "/records100")
            try? FileManager.default.copyItem(atPath: src + "/scp_statements.csv", toPath: dir + "/scp_statements.csv")
        }
        write(d, dir + "/ptbxl_database.csv")
        _ = try PTBXL.load(dir: dir, task: .superdiagnostic, rate: 100, useCache: false)
    },
    Harness(
        name: "scp-codes",
        seeds: {
            guard let csv = try? CSVFile.read(repo + "/data/ptbxl-sample/ptbxl_database.csv"),
                let col = csv.header.firstIndex(of: "scp_codes")
            else { return [] }
            return csv.rows.prefix(100).map { Data($0[col].utf8) }
        }
    ) { d, _ in
        _ = try SCPCodes.parse(String(decoding: d, as: UTF8.self), place: "fuzz")
    },
    Harness(
        name: "checkpoint",
        seeds: { files([repo + "/fuzz/seeds/checkpoint", repo + "/Tests/Fixtures/golden"], [".pth"]).filter { $0.count < 1 << 20 } }
    ) { d, dir in
        write(d, dir + "/m.pth")
        _ = try TorchCheckpoint.load(path: dir + "/m.pth")
    },
    Harness(
        name: "safetensors", seeds: { files([repo + "/Tests/Fixtures", repo + "/models"], [".safetensors"]).filter { $0.count < 2 << 20 } }
    ) { d, _ in
        _ = try SafeTensors.decode(d, source: "fuzz")
    },
    Harness(
        name: "npy",
        seeds: {
            let dir = NSTemporaryDirectory() + "/ecgs-fuzz-npy-seeds"
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (i, shape) in [[3], [2, 3], [2, 3, 4], [1], []].enumerated() {
                try? NPY.write(Tensor((0..<max(1, shape.reduce(1, *))).map { Float($0) }, shape: shape), to: dir + "/s\(i).npy")
            }
            return files([dir], [".npy"])
        }
    ) { d, dir in
        write(d, dir + "/t.npy")
        _ = try NPY.read(dir + "/t.npy")
    },
    Harness(name: "ecgscript", seeds: { files([repo + "/Tests/DSLTests/Scripts", repo + "/examples", repo + "/notebooks"], [".ecgs"]) }) {
        d, dir in
        // Parse, then run with a 0.3 s budget in a scratch folder (file names are relative, so writes stay there).
        final class Quiet: OutputSink { func write(_ text: String) {}; func show(_ value: Value) {}; func progress(_ event: TrainEvent) {} }
        let interp = Interpreter(sink: Quiet())
        let deadline = Date().addingTimeInterval(0.3)
        interp.shouldStop = { Date() > deadline }
        interp.setGlobal("ROOT", .string(dir))
        interp.setGlobal("TMP", .string(dir))
        interp.setGlobal("ARGS", .list(ListBox([.string("quick"), .string(dir)])))
        if let diag = interp.execute(String(decoding: d, as: UTF8.self), file: "fuzz.ecgs").diagnostic { throw diag }
    }
]

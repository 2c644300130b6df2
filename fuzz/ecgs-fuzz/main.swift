import DSL
import Engine
import Foundation

// A seeded mutation fuzzer for every parser of outside input (run by fuzz/run.sh).
//   ecgs-fuzz HARNESS --seconds S [--seed N] [--out DIR] [--replay FILE...]
// Each input is a seed file from the corpus, mutated (bit flips, byte edits, interesting integers,
// insertions, deletions, truncation, splices with other seeds). A parser may throw: that is the
// expected answer to bad input. A crash, a hang (over 5 s) or an abort is a failure: the input is
// written to OUT/current before each run, so the driving script keeps it when the process dies.

struct Harness {
    let name: String
    let seeds: () -> [Data]
    let run: (Data, String) throws -> Void   // input, a scratch folder
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

let wfdbDirs = [shared + "/wfdb-samples", repo + "/Tests/Fixtures/wfdb", repo + "/data/ptbxl-sample/records100/00000"]

/// Pairs a header with its signal file as one input: header bytes, a 0xFF separator line, signal bytes.
func recordSeeds() -> [Data] {
    var out: [Data] = []
    for d in wfdbDirs {
        guard let items = try? FileManager.default.contentsOfDirectory(atPath: d) else { continue }
        for h in items.sorted() where h.hasSuffix(".hea") {
            guard let hea = FileManager.default.contents(atPath: d + "/" + h),
                  let header = try? WFDBHeader.parse(String(decoding: hea, as: UTF8.self), source: h),
                  let file = header.signals.first?.fileName,
                  let dat = FileManager.default.contents(atPath: d + "/" + file), dat.count <= 1 << 20 else { continue }
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
            for s in h.signals where !s.fileName.contains("/") && !s.fileName.isEmpty && s.fileName.count < 100 { write(Data(dat), dir + "/" + s.fileName) }
        }
        _ = try WFDB.read(dir + "/rec")
    },
    Harness(name: "annotations", seeds: { files(wfdbDirs, [".atr"]) }) { d, dir in
        write(d, dir + "/a.atr")
        _ = try WFDBAnnotation.read(dir + "/a.atr")
    },
    Harness(name: "csv", seeds: { files([shared + "/ptbxl-sample", repo + "/data/ptbxl-sample", repo + "/Tests/Fixtures"], [".csv"]) }) { d, dir in
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
    Harness(name: "scp-codes", seeds: {
        guard let csv = try? CSVFile.read(repo + "/data/ptbxl-sample/ptbxl_database.csv"), let col = csv.header.firstIndex(of: "scp_codes") else { return [] }
        return csv.rows.prefix(100).map { Data($0[col].utf8) }
    }) { d, _ in
        _ = try SCPCodes.parse(String(decoding: d, as: UTF8.self), place: "fuzz")
    },
    Harness(name: "checkpoint", seeds: { files([repo + "/Tests/Fixtures/golden"], [".pth"]) }) { d, dir in
        write(d, dir + "/m.pth")
        _ = try TorchCheckpoint.load(path: dir + "/m.pth")
    },
    Harness(name: "safetensors", seeds: { files([repo + "/Tests/Fixtures", repo + "/models"], [".safetensors"]).filter { $0.count < 2 << 20 } }) { d, _ in
        _ = try SafeTensors.decode(d, source: "fuzz")
    },
    Harness(name: "npy", seeds: {
        let dir = NSTemporaryDirectory() + "/ecgs-fuzz-npy-seeds"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (i, shape) in [[3], [2, 3], [2, 3, 4], [1], []].enumerated() {
            try? NPY.write(Tensor((0..<max(1, shape.reduce(1, *))).map { Float($0) }, shape: shape), to: dir + "/s\(i).npy")
        }
        return files([dir], [".npy"])
    }) { d, dir in
        write(d, dir + "/t.npy")
        _ = try NPY.read(dir + "/t.npy")
    },
    Harness(name: "ecgscript", seeds: { files([repo + "/Tests/DSLTests/Scripts", repo + "/examples", repo + "/notebooks"], [".ecgs"]) }) { d, dir in
        // Parse, then run with a 0.3 s budget in a scratch folder (file names are relative, so writes stay there).
        final class Quiet: OutputSink { func write(_ text: String) {}; func show(_ value: Value) {}; func progress(_ event: TrainEvent) {} }
        let interp = Interpreter(sink: Quiet())
        let deadline = Date().addingTimeInterval(0.3)
        interp.shouldStop = { Date() > deadline }
        interp.setGlobal("ROOT", .string(dir))
        interp.setGlobal("TMP", .string(dir))
        interp.setGlobal("ARGS", .list(ListBox([.string("quick"), .string(dir)])))
        if let diag = interp.execute(String(decoding: d, as: UTF8.self), file: "fuzz.ecgs").diagnostic { throw diag }
    },
]

// MARK: - Mutation

struct Mutator {
    var rng: SeededRandom
    let corpus: [Data]
    let interesting: [UInt32] = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF]
    let tokens = ["0", "-1", "4294967296", "1e308", "nan", "999999999999", "\n", " ", "\"", "(", ")", "{", "}", "[", "]", ",", ":", "#", "'", "\\", "9" + String(repeating: "9", count: 30)]

    mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(rng.next() % UInt64(n)) }

    mutating func mutate(_ seed: Data) -> Data {
        var b = [UInt8](seed)
        for _ in 0...int(4) {
            switch int(9) {
            case 0 where !b.isEmpty: b[int(b.count)] ^= UInt8(1 << int(8))
            case 1 where !b.isEmpty: b[int(b.count)] = UInt8(truncatingIfNeeded: rng.next())
            case 2 where b.count >= 4:
                let v = interesting[int(interesting.count)], p = int(b.count - 3)
                for k in 0..<4 { b[p + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
            case 3: b.insert(contentsOf: Array(tokens[int(tokens.count)].utf8), at: int(b.count + 1))
            case 4 where !b.isEmpty:
                let p = int(b.count), n = min(b.count - p, 1 + int(16))
                b.removeSubrange(p..<(p + n))
            case 5 where !b.isEmpty: b.removeSubrange(int(b.count)...)
            case 6 where !b.isEmpty:   // duplicate a chunk
                let p = int(b.count), n = min(b.count - p, 1 + int(64))
                b.insert(contentsOf: b[p..<(p + n)], at: int(b.count + 1))
            case 7 where !corpus.isEmpty:   // splice with another seed
                let o = [UInt8](corpus[int(corpus.count)])
                if !o.isEmpty && !b.isEmpty { b = Array(b[..<int(b.count)]) + Array(o[int(o.count)...]) }
            case 8 where !b.isEmpty:   // replace a digit run by a big number
                let p = int(b.count)
                if let s = b[p...].firstIndex(where: { (48...57).contains($0) }) {
                    var e = s
                    while e < b.count && (48...57).contains(b[e]) { e += 1 }
                    b.replaceSubrange(s..<e, with: Array(["0", "65535", "2147483648", "99999999999"][int(4)].utf8))
                }
            default: break
            }
        }
        return Data(b)
    }
}

// MARK: - Driver

var args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    defer { args.removeSubrange(i...(i + 1)) }
    return args[i + 1]
}
let seconds = Double(option("--seconds") ?? "60") ?? 60
let seed = UInt64(option("--seed") ?? "1") ?? 1
let outArg = option("--out") ?? "out/fuzz"
let out = outArg.hasPrefix("/") ? outArg : repo + "/" + outArg
let launchDir = FileManager.default.currentDirectoryPath
let replay = (args.firstIndex(of: "--replay").map { Array(args[($0 + 1)...]) } ?? []).map { $0.hasPrefix("/") ? $0 : launchDir + "/" + $0 }
if let i = args.firstIndex(of: "--replay") { args.removeSubrange(i...) }
guard let name = args.first, let harness = harnesses.first(where: { $0.name == name }) else {
    FileHandle.standardError.write(Data("usage: ecgs-fuzz HARNESS --seconds S [--seed N] [--out DIR] [--replay FILE…]\nharnesses: \(harnesses.map(\.name).joined(separator: " "))\n".utf8))
    exit(2)
}
let dir = out + "/" + name
let scratch = NSTemporaryDirectory() + "/ecgs-fuzz-\(name)-\(getpid())"
try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
_ = FileManager.default.changeCurrentDirectoryPath(scratch)
setenv("ECGS_CACHE", scratch + "/cache", 1)
// Inputs asking for more than 256 MiB in one tensor get the memory guard's error, as on a smaller machine.
MemoryGuard.limitBytes = 256 << 20

if !replay.isEmpty {   // regression check of kept inputs
    for f in replay {
        guard let d = FileManager.default.contents(atPath: f) else { print("cannot read \(f)"); exit(2) }
        do { try harness.run(d, scratch) } catch {}
        print("replayed \(f): no crash")
    }
    exit(0)
}

let corpus = harness.seeds()
guard !corpus.isEmpty else { print("\(name): no seed files found"); exit(2) }
var mutator = Mutator(rng: SeededRandom(seed: seed), corpus: corpus)
let current = dir + "/current"
nonisolated(unsafe) var started = Date()
nonisolated(unsafe) var busy = false
// A watchdog: an input running over 5 s is a hang; keep it and stop.
Thread.detachNewThread {
    while true {
        Thread.sleep(forTimeInterval: 0.5)
        if busy && Date().timeIntervalSince(started) > 5 {
            try? FileManager.default.copyItem(atPath: current, toPath: dir + "/hang-\(Int(Date().timeIntervalSince1970))")
            print("\(name): HANG over 5 s (input kept in \(dir))")
            exit(3)
        }
    }
}
let t0 = Date()
var execs = 0, rejected = 0
var messages = Set<String>()
while Date().timeIntervalSince(t0) < seconds {
    let input = execs < corpus.count ? corpus[execs] : mutator.mutate(corpus[mutator.int(corpus.count)])
    FileManager.default.createFile(atPath: current, contents: input)
    started = Date()
    busy = true
    do { try harness.run(input, scratch) } catch {
        rejected += 1
        if messages.count < 5000 { messages.insert(String("\(error)".prefix(60))) }
    }
    busy = false
    execs += 1
}
try? FileManager.default.removeItem(atPath: current)
try? FileManager.default.removeItem(atPath: scratch)
print("\(name): \(execs) executions in \(String(format: "%.0f", Date().timeIntervalSince(t0))) s, \(rejected) rejected with an error (\(messages.count) distinct message starts), finished without a crash or hang")

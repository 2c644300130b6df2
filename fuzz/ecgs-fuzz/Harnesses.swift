import DSL
import Engine
import Foundation
import Shell

// The fuzz harnesses: one per parser of outside input, each with seed files from real data, the longest
// input worth trying and a dictionary of the format's tokens. libFuzzer drives them (LibFuzzerEntry.swift,
// built by scripts/fuzz with -sanitize=fuzzer,address); an ordinary build replays kept inputs and corpora
// (the tests) and exports seeds and dictionaries (Driver.swift). A parser may throw: that is the expected
// answer to bad input. A crash, a hang, a leak or an abort is a failure.

struct Harness {
    let name: String
    /// libFuzzer's -max_len: long enough for every structure of the format, short enough to stay fast.
    let maxLength: Int
    /// Tokens for libFuzzer's -dict (empty: none).
    let dictionary: [String]
    let seeds: () -> [Data]
    let run: (Data, String) throws -> Void // input, a scratch folder

    init(
        _ name: String, maxLength: Int, dictionary: [String] = [], seeds: @escaping () -> [Data],
        run: @escaping (Data, String) throws -> Void
    ) {
        self.name = name
        self.maxLength = maxLength
        self.dictionary = dictionary
        self.seeds = seeds
        self.run = run
    }

    /// The dictionary in libFuzzer's format: one `"token"` a line, bytes outside printable ASCII as \xNN.
    var dictionaryText: String {
        dictionary.map { token in
            "\""
                + token.utf8.map { b in
                    (32..<127).contains(b) && b != 34 && b != 92 ? String(UnicodeScalar(b)) : String(format: "\\x%02X", b)
                }
                .joined() + "\""
        }.joined(separator: "\n") + "\n"
    }
}

let repo = FileManager.default.currentDirectoryPath
let shared = repo + "/../shared/data"

func files(_ dirs: [String], _ suffixes: [String], limit: Int = 4 << 20) -> [Data] {
    var out: [Data] = []
    for d in dirs {
        guard let e = FileManager.default.enumerator(atPath: d) else { continue }
        for case let f as String in e where suffixes.contains(where: { f.hasSuffix($0) }) {
            if let data = FileManager.default.contents(atPath: d + "/" + f), data.count <= limit { out.append(data) }
        }
    }
    return out
}

func write(_ data: Data, _ path: String) { FileManager.default.createFile(atPath: path, contents: data) }

/// Splits an input made of several files joined by `separator` lines (the first part is always there).
func parts(_ d: Data, _ separator: String) -> [Data] {
    let sep = Data("\n\u{FF}\(separator)\u{FF}\n".utf8)
    var out: [Data] = [], rest = d[...]
    while let r = rest.range(of: sep) {
        out.append(Data(rest[..<r.lowerBound]))
        rest = rest[r.upperBound...]
    }
    return out + [Data(rest)]
}

func joined(_ files: [Data], _ separator: String) -> Data {
    files.dropFirst().reduce(files.first ?? Data()) { $0 + Data("\n\u{FF}\(separator)\u{FF}\n".utf8) + $1 }
}

let wfdbDirs = [
    shared + "/wfdb-samples", repo + "/Tests/Fixtures/wfdb", repo + "/Tests/Fixtures/wfdb-python",
    repo + "/Tests/Fixtures/wfdb-python/multi-segment/041s", repo + "/data/ptbxl-sample/records100/00000"
]

/// A header and the start of its first signal file as one input (FLAC, multi-segment and every format
/// the samples have); the harness writes the signal bytes under every file name the header gives.
func recordSeeds(limit: Int) -> [Data] {
    var out: [Data] = []
    for d in wfdbDirs {
        guard let items = try? FileManager.default.contentsOfDirectory(atPath: d) else { continue }
        for h in items.sorted() where h.hasSuffix(".hea") {
            guard let hea = FileManager.default.contents(atPath: d + "/" + h),
                let header = try? WFDBHeader.parse(String(decoding: hea, as: UTF8.self), source: h)
            else { continue }
            let dat = header.signals.first.flatMap { FileManager.default.contents(atPath: d + "/" + $0.fileName) } ?? Data()
            out.append(joined([hea, dat.prefix(max(0, limit - hea.count - 16))], "SIGNAL"))
        }
    }
    return out
}

let wfdbHeaderTokens = [
    "#", "/", "+", "x", ":", "(", ")", "/mV", "/uV", "mV", "uV", "mmHg", ".dat", "212", "16", "80", "8", "310", "311", "24", "32",
    "61", "160", "508", "516", "524", "~", "0", "-1", "500", "1000", "\n", " ", "\r\n", "12:30:45.5", "01/01/2000", "4294967296",
    "I II III aVR aVL aVF V1 V2 V3 V4 V5 V6"
]

let harnesses: [Harness] = [
    Harness("wfdb-header", maxLength: 4096, dictionary: wfdbHeaderTokens, seeds: { files(wfdbDirs, [".hea"]) }) { d, _ in
        _ = try WFDBHeader.parse(String(decoding: d, as: UTF8.self), source: "fuzz.hea")
    },
    Harness(
        "wfdb-record", maxLength: 8192, dictionary: wfdbHeaderTokens + ["\n\u{FF}SIGNAL\u{FF}\n", "fLaC"],
        seeds: { recordSeeds(limit: 8192) }
    ) {
        d, dir in
        let p = parts(d, "SIGNAL")
        let hea = p[0], dat = p.count > 1 ? p[1] : Data()
        write(hea, dir + "/rec.hea")
        // Every file the (possibly mutated) header names gets the signal bytes; segments get the header.
        if let h = try? WFDBHeader.parse(String(decoding: hea, as: UTF8.self), source: "rec.hea") {
            for s in h.signals where !s.fileName.contains("/") && !s.fileName.isEmpty && s.fileName.count < 100 {
                write(dat, dir + "/" + s.fileName)
            }
        }
        _ = try WFDB.read(dir + "/rec")
    },
    Harness("annotations", maxLength: 8192, seeds: { files(wfdbDirs, [".atr"]).map { $0.prefix(8192) } }) { d, _ in
        _ = try WFDBAnnotationFile.parse([UInt8](d), source: "fuzz.atr")
    },
    Harness(
        "csv", maxLength: 4096, dictionary: [",", "\"", "\"\"", "\r\n", "\n", "1e308", "nan", "-0", "\u{FEFF}"],
        seeds: {
            files([shared + "/ptbxl-sample", repo + "/data/ptbxl-sample", repo + "/Tests/Fixtures"], [".csv"]).map { $0.prefix(4096) }
        }
    ) { d, _ in
        _ = try Table(csv: CSVFile.parse(d, source: "fuzz.csv"))
    },
    Harness(
        "ptbxl", maxLength: 16384,
        dictionary: [
            ",", "\"", "\n", "{", "}", "'", ": ", "100.0", "NORM", "IMI", "AFIB", "strat_fold", "ecg_id", "scp_codes", "filename_lr"
        ],
        seeds: {
            // The first rows of the real database table, then the real statements table.
            let db = FileManager.default.contents(atPath: repo + "/data/ptbxl-sample/ptbxl_database.csv") ?? Data()
            let st = FileManager.default.contents(atPath: repo + "/data/ptbxl-sample/scp_statements.csv") ?? Data()
            let lines = db.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            return [8, 20].map { n in joined([Data(lines.prefix(n).joined(separator: [UInt8(ascii: "\n")])), st], "STATEMENTS") }
        }
    ) { d, dir in
        // A PTB-XL folder made of the two tables (the input): rows, folds and the labels of one task (chosen
        // by the input's length, so that every task is reached and an input always gets the same one).
        let p = parts(d, "STATEMENTS")
        write(p[0], dir + "/ptbxl_database.csv")
        write(p.count > 1 ? p[1] : Data(), dir + "/scp_statements.csv")
        let tasks = PTBXLTask.allCases
        _ = try PTBXL.rows(dir: dir, task: tasks[d.count % tasks.count], rate: d.count % 2 == 0 ? 100 : 500)
    },
    Harness(
        "scp-codes", maxLength: 1024, dictionary: ["{", "}", "'", "\"", ": ", ", ", "100.0", "0.0", "NORM", "1e309", "nan"],
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
        "checkpoint", maxLength: 16384,
        dictionary: [
            "PK\u{03}\u{04}", "PK\u{01}\u{02}", "PK\u{05}\u{06}", "data.pkl", "torch._utils", "_rebuild_tensor_v2", "FloatStorage",
            "collections", "OrderedDict"
        ],
        seeds: { files([repo + "/fuzz/seeds/checkpoint", repo + "/Tests/Fixtures/golden"], [".pth"], limit: 16384) }
    ) { d, dir in
        write(d, dir + "/m.pth")
        _ = try TorchCheckpoint.load(path: dir + "/m.pth")
    },
    Harness(
        "safetensors", maxLength: 8192,
        dictionary: [
            "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "\"F16\"", "\"BF16\"", "\"I64\"", "[0, 4]"
        ],
        seeds: { files([repo + "/Tests/Fixtures", repo + "/models"], [".safetensors"], limit: 8 << 20).map { $0.prefix(8192) } }
    ) { d, _ in
        _ = try SafeTensors.decode(d, source: "fuzz")
    },
    Harness(
        "npy", maxLength: 1024,
        dictionary: [
            "\u{93}NUMPY", "'descr': ", "'<f4'", "'<f8'", "'<i8'", "'|b1'", "'>f4'", "'fortran_order': ", "True", "False", "'shape': ", "(",
            ")", ","
        ],
        seeds: {
            let dir = NSTemporaryDirectory() + "/ecgs-fuzz-npy-seeds"
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (i, shape) in [[3], [2, 3], [2, 3, 4], [1], []].enumerated() {
                try? NPY.write(Tensor((0..<max(1, shape.reduce(1, *))).map { Float($0) }, shape: shape), to: dir + "/s\(i).npy")
            }
            return files([dir], [".npy"]) + files([repo + "/Tests/Fixtures"], [".npy"], limit: 1024)
        }
    ) { d, _ in
        _ = try NPY.decode(d, source: "fuzz.npy")
    },
    Harness("ecgscript-syntax", maxLength: 4096, dictionary: ecgscriptTokens, seeds: ecgscriptSeeds) { d, _ in
        // The lexer and parser (through the completeness check) and the tolerant highlighter; runs nothing.
        let text = String(decoding: d, as: UTF8.self)
        _ = Interpreter.completeness(text)
        _ = Lexer.highlight(text)
    },
    Harness("ecgscript", maxLength: 2048, dictionary: ecgscriptTokens, seeds: ecgscriptSeeds) { d, dir in
        // Runs the program with a 5 ms budget in a scratch folder (file names are relative, so writes stay
        // there): the language's semantics, not the engine's long operations (synthesising and training
        // would take the whole budget of most inputs; the engine's parsers have their own harnesses).
        let interp = Interpreter(sink: QuietSink())
        let deadline = Date().addingTimeInterval(0.005)
        interp.shouldStop = { Date() > deadline }
        interp.setGlobal("ROOT", .string(dir))
        interp.setGlobal("TMP", .string(dir))
        interp.setGlobal("ARGS", .list(ListBox([.string("quick"), .string(dir)])))
        if let diag = interp.execute(String(decoding: d, as: UTF8.self), file: "fuzz.ecgs").diagnostic { throw diag }
    },
    Harness(
        "notebook-cells", maxLength: 4096, dictionary: ["# %%", "# %% [markdown]", "# %% [md]", "# %% Parameters", "\r\n", "#", "# "],
        seeds: ecgscriptSeeds
    ) {
        d, _ in
        _ = Cell.split(String(decoding: d, as: UTF8.self))
    },
    Harness(
        "ipynb", maxLength: 8192,
        dictionary: jsonTokens + [
            "\"nbformat\"", "\"cells\"", "\"cell_type\"", "\"source\"", "\"code\"", "\"markdown\"", "\"raw\"", "\"kernelspec\"",
            "\"language\"", "\"ecgscript\""
        ], seeds: ipynbSeeds
    ) {
        d, _ in
        _ = try IpynbReader.script(from: d, path: "fuzz.ipynb")
    },
    Harness(
        "jupyter-message", maxLength: 4096,
        dictionary: jsonTokens + ["<IDS|MSG>", "\"msg_type\"", "\"msg_id\"", "\"execute_request\"", "\"code\""], seeds: jupyterMessageSeeds
    ) {
        d, _ in
        // Frames joined by FRAME separator lines; the first byte chooses a signed (key "k") or unsigned session.
        guard let first = d.first, let signers = jupyterSigners else { return }
        _ = try JupyterMessage(frames: parts(d.dropFirst(), "FRAME"), signer: signers[Int(first & 1)])
    },
    Harness(
        "connection-file", maxLength: 2048,
        dictionary: jsonTokens + ["\"transport\"", "\"tcp\"", "\"ipc\"", "\"ip\"", "\"shell_port\"", "\"key\""], seeds: connectionSeeds
    ) { d, _ in
        _ = try ConnectionInfo(data: d, path: "fuzz.json")
    }
]

let jsonTokens = ["{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "1e400", "-0", "\\u0000", "\\ud800"]

/// ECGScript's keywords, operators and every global name (built-ins included), from the language itself.
let ecgscriptTokens: [String] =
    Keyword.allCases.map(\.rawValue) + Op.allCases.map(\.rawValue) + Interpreter(sink: QuietSink()).visibleNames
    + ["\"", "#", "\n", "    ", "1e308", "[x for x in ", "fn f(x) {", "}", "1.5"]

/// The language test scripts, examples and notebooks cut into pieces of at most 1,500 bytes, each cut
/// where braces balance, so every seed is a short program of real constructs.
func ecgscriptSeeds() -> [Data] {
    let scripts = files([repo + "/Tests/DSLTests/Scripts", repo + "/examples", repo + "/notebooks", repo + "/scripts"], [".ecgs"])
    var out: [Data] = []
    for script in scripts {
        var piece: [Substring] = [], size = 0, depth = 0
        for line in String(decoding: script, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            piece.append(line)
            size += line.utf8.count + 1
            depth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
            if depth <= 0 && size >= 300 || size > 1500 {
                out.append(Data(piece.joined(separator: "\n").utf8))
                piece = []
                size = 0
                depth = 0
            }
        }
        if !piece.isEmpty { out.append(Data(piece.joined(separator: "\n").utf8)) }
    }
    return out
}

/// nbformat 4 notebooks as JupyterLab saves them, one per group of script pieces: markdown and code cells
/// (source as a list of lines), the ECGScript kernelspec, an output.
func ipynbSeeds() -> [Data] {
    let pieces = ecgscriptSeeds().map { String(decoding: $0, as: UTF8.self) }
    return stride(from: 0, to: pieces.count, by: 3).compactMap { i -> Data? in
        let code = pieces[i..<min(i + 3, pieces.count)].map { p -> [String: Any] in
            [
                "cell_type": "code", "execution_count": 1, "metadata": ["title": "piece"],
                "source": p.split(separator: "\n").map { $0 + "\n" },
                "outputs": [["output_type": "stream", "name": "stdout", "text": ["1\n"]]]
            ]
        }
        let doc: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 5,
            "metadata": ["kernelspec": ["name": "ecgscript", "display_name": "ECGScript", "language": "ecgscript"]],
            "cells": [["cell_type": "markdown", "metadata": [:], "source": "# Title\n\ntext"] as [String: Any]] + code
                + [["cell_type": "raw", "metadata": [:], "source": "raw"]]
        ]
        return try? JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys])
    }
}

/// The signed (key "k") and the unsigned session, made once (libcrypto is opened when a key is given).
let jupyterSigners: [HMACSigner]? = try? ["k", ""].map { try HMACSigner(key: $0, scheme: "hmac-sha256") }

/// Real message frames: an execute request signed with key "k" (first byte 0) and an unsigned one.
func jupyterMessageSeeds() -> [Data] {
    let header = Data(#"{"msg_id":"1","msg_type":"execute_request","session":"s","username":"u","date":"","version":"5.3"}"#.utf8)
    let content = Data(#"{"code":"1 + 1","silent":false,"store_history":true,"user_expressions":{},"allow_stdin":false}"#.utf8)
    let parts = [header, Data("{}".utf8), Data("{}".utf8), content]
    return (jupyterSigners ?? []).enumerated().map { choice, signer in
        let frames = [Data("id".utf8), JupyterMessage.delimiter, Data(signer.signature(parts).utf8)] + parts
        return Data([UInt8(choice)]) + joined(frames, "FRAME")
    }
}

func connectionSeeds() -> [Data] {
    [
        #"{"transport":"tcp","ip":"127.0.0.1","shell_port":5001,"control_port":5002,"stdin_port":5003,"iopub_port":5004,"#
            + #""hb_port":5005,"key":"k","signature_scheme":"hmac-sha256"}"#,
        #"{"transport":"ipc","ip":"/tmp/k","shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5,"key":""}"#
    ].map { Data($0.utf8) }
}

/// Output that goes nowhere (the harnesses check for crashes, not text).
final class QuietSink: OutputSink {
    func write(_ text: String) {}
    func show(_ value: Value) {}
    func progress(_ event: TrainEvent) {}
}

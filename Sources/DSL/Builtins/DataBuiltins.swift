import Engine

enum DataBuiltins {
    static let topic = "data"

    /// A record or a dataset argument, for operations that work on both.
    enum Signal { case record(ECGRecord), dataset(ECGDataset) }
    static func signal(_ a: Args, _ key: String) throws -> Signal {
        switch a.value(key) {
        case .record(let r): return .record(r)
        case .dataset(let d): return .dataset(d)
        default: throw a.typeError(key, "a Record or a Dataset")
        }
    }

    static func preprocessSettings(_ a: Args) throws -> Preprocess {
        var p = Preprocess()
        p.notch = try a.optionalNumber("notch")
        if a.isNil("bandpass") {
            p.bandpass = nil
        } else {
            let b = try a.numbers("bandpass")
            guard b.count == 2 else {
                throw Diagnostic("preprocess: bandpass must be [low, high] in Hz, got \(b.count) numbers", at: a.place("bandpass"))
            }
            p.bandpass = (b[0], b[1])
        }
        p.baselineSeconds = try a.choice("baseline", Preprocess.Baseline.self) == .median ? 0.4 : nil
        p.zscore = try a.choice("zscore")
        return p
    }

    static let all: [Builtin] = [
        Builtin(
            "wfdb", topic: topic,
            [
                .required("path", "record path (without or with .hea)"), .optional("from", "integer", .number(0)),
                .optional("to", "integer", .nil_),
                .choice("frames", default: WFDB.FrameAveraging.round),
                .optional("smooth_frames", "bool", .bool(true))
            ],
            doc: "Reads a WFDB record in physical units: formats 8, 16, 24, 32, 61, 80, 160, 212, 310, 311 and FLAC 508/516/524, "
                + "single- or multi-segment (fixed or variable layout; `from`/`to` may cross segments). Signals with several "
                + "samples per frame are averaged per frame: frames=\"round\" rounds the mean to the nearest ADC unit like the "
                + "WFDB library, \"truncate\" gives wfdb-python's values, \"exact\" the fractional mean. smooth_frames=false "
                + "returns a list of one-signal Records, each at its own rate (wfdb-python's smooth_frames=False).",
            example: "r = wfdb(\"data/ptbxl-sample/records100/00000/00001_lr\")"
        ) { a in
            let path = try a.path("path"), from = try a.int("from", min: 0), to = try a.optionalInt("to", min: 0)
            if try !a.bool("smooth_frames") {
                return .list(try WFDB.readExpanded(path, from: from, to: to).map { .record($0) })
            }
            return .record(try WFDB.read(path, from: from, to: to, frames: try a.choice("frames")))
        },
        Builtin(
            "annotations", topic: topic, [.required("path", "annotation file (e.g. 100.atr)")],
            doc: "Reads a MIT-format annotation file into a table (sample, type, subtype, chan, num, aux) as rdann and wfdb.rdann "
                + "do: the file's header block (time resolution, label definitions) is consumed and its custom symbols used.",
            example: "annotations(\"100.atr\")"
        ) { a in
            let anns = try WFDBAnnotation.read(try a.path("path"))
            return .table(
                try Table(
                    title: "annotations", columns: ["sample", "type", "subtype", "chan", "num", "aux"],
                    rows: anns.map {
                        [
                            .number(Double($0.sample)), .text($0.symbol), .number(Double($0.subtype)), .number(Double($0.channel)),
                            .number(Double($0.number)), .text($0.aux)
                        ]
                    }))
        },
        Builtin(
            "write_wfdb", topic: topic, [.required("record", "Record"), .required("dir", "folder"), .optional("name", "string", .nil_)],
            doc: "Writes a record as WFDB format 16 (header + signal file), readable by the WFDB tools and wfdb-python.",
            example: "write_wfdb(r, \"out\")"
        ) { a in
            guard case .record(let r) = a.value("record") else { throw a.typeError("record", "a Record") }
            try WFDB.write(r, to: try a.path("dir"), name: try a.optionalString("name"))
            return .nil_
        },
        Builtin(
            "ptbxl", topic: topic,
            [
                .required("dir", "PTB-XL folder"), .choice("task", default: PTBXLTask.superdiagnostic),
                .optional("rate", "100 or 500", .number(100)), .optional("folds", "list of folds", .nil_),
                .optional("standardize", "bool", .bool(true)),
                .choice("missing", default: PTBXL.MissingRecords.error)
            ],
            doc:
                "PTB-XL with a benchmark task (all, diagnostic, subdiagnostic, superdiagnostic, form, rhythm); folds 1–8/9/10 give "
                + ".train/.val/.test; standardised on the training split. Decoded signals are cached. missing=\"skip\" leaves out "
                + "records whose files are absent (a partial download).",
            example: "ds = ptbxl(\"data/ptbxl-sample\", task=\"superdiagnostic\")"
        ) { a in
            let task: PTBXLTask = try a.choice("task")
            let folds = a.isNil("folds") ? nil : Set(try a.numbers("folds").map(Int.init))
            let hooks = a.interpreter
            return .dataset(
                try PTBXL.load(
                    dir: try a.path("dir"), task: task, rate: try a.int("rate"), folds: folds,
                    standardize: try a.bool("standardize"),
                    missing: try a.choice("missing"),
                    progress: { d, n in hooks.sink.progress(.status("ptbxl: decoded \(d) of \(n) records")) }))
        },
        Builtin(
            "synth", topic: topic,
            [
                .optional("n", "integer", .number(500)), .optional("rate", "Hz", .number(100)),
                .optional("seconds", "number", .number(10)), .optional("classes", "list of codes", .nil_),
                .optional("seed", "integer", .number(0)), .optional("noise", "number", .number(1)),
                .optional("variability", "number", .number(1)), .optional("standardize", "bool", .bool(true))
            ],
            doc:
                "Synthetic 12-lead ECGs with known labels (NORM, AFIB, STACH, SBRAD, CLBBB, IMI, LVH, ISC_, STE_, LVOLT), stratified "
                + "folds 1–10.",
            example: "ds = synth(n=300, seed=1)"
        ) { a in
            var g = SyntheticECG()
            g.rate = try a.number("rate")
            g.seconds = try a.number("seconds")
            if !a.isNil("classes") { g.classes = try a.strings("classes") }
            g.noise = try a.number("noise")
            g.variability = try a.number("variability")
            let ds = try g.dataset(count: try a.int("n", min: 1), seed: try a.seed())
            return .dataset(try a.bool("standardize") ? ds.standardized() : ds)
        },
        Builtin(
            "write_ptbxl", topic: topic, [.required("ds", "Dataset"), .required("dir", "folder")],
            doc: "Writes a dataset as a PTB-XL-shaped folder (WFDB records, ptbxl_database.csv, scp_statements.csv).",
            example: "write_ptbxl(synth(n=50), \"/tmp/synth-ptbxl\")"
        ) { a in
            .number(Double(try PTBXL.write(try a.dataset("ds"), to: try a.path("dir"))))
        },
        Builtin(
            "subset", topic: topic,
            [.required("ds", "Dataset"), .required("fraction", "number in (0, 1]"), .optional("seed", "integer", .number(0))],
            doc: "Keeps a stratified fraction of the training split (validation and test unchanged).",
            example: "small = subset(ds, 0.1, seed=1)"
        ) { a in
            .dataset(try a.dataset("ds").subset(fraction: try a.number("fraction"), seed: try a.seed()))
        },
        Builtin(
            "preprocess", topic: topic,
            [
                .required("x", "Record or Dataset"), .optional("notch", "Hz or nil", .number(50)),
                .optional("bandpass", "[low, high] Hz or nil", .list([.number(0.67), .number(40)])),
                .choice("baseline", default: Preprocess.Baseline.median),
                .choice("zscore", default: Preprocess.ZScore.record)
            ],
            doc:
                "ECGFounder's chain: NaN→0, notch (Q 30, filtfilt), Butterworth order-4 band-pass (filtfilt), median baseline removal (0.4 "
                + "s), z-score.",
            example: "clean = preprocess(wfdb(\"rec\"), notch=50)"
        ) { a in
            let p = try preprocessSettings(a)
            switch try signal(a, "x") {
            case .record(let r): return .record(try p.apply(to: r))
            case .dataset(let d): return .dataset(try p.apply(to: d))
            }
        },
        Builtin(
            "resample", topic: topic, [.required("x", "Record or Dataset"), .required("rate", "Hz")],
            doc: "Anti-aliased polyphase resampling (as scipy.signal.resample_poly).", example: "resample(r, 100)"
        ) { a in
            let rate = try a.number("rate")
            switch try signal(a, "x") {
            case .record(let r): return .record(try r.resampled(to: rate))
            case .dataset(let d): return .dataset(try d.resampled(to: rate))
            }
        },
        Builtin(
            "filter", topic: topic,
            [
                .required("x", "Record"), .choice("type", default: FilterDesign.BandType.bandpass),
                .required("cutoff", "Hz or [low, high]"), .optional("order", "integer", .number(4)),
                .optional("zero_phase", "bool", .bool(true))
            ],
            doc:
                "Butterworth filter (lowpass, highpass, bandpass, bandstop; order 1-12) of every lead, designed and applied in "
                + "second-order sections as scipy.signal.butter(output=\"sos\"); zero-phase (sosfiltfilt) by default, else sosfilt.",
            example: "filter(r, type=\"highpass\", cutoff=0.5)"
        ) { a in
            guard case .record(let r) = a.value("x") else { throw a.typeError("x", "a Record") }
            let f = try FilterDesign.butterworthSOS(
                order: try a.int("order", min: 1), cutoff: try a.numbers("cutoff"), type: try a.choice("type"),
                rate: r.rate)
            return .record(try r.filtered(f, zeroPhase: try a.bool("zero_phase")))
        }
    ]
}

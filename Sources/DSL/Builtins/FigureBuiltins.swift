import Engine

enum FigureBuiltins {
    static let topic = "figures"
    static let common: [Param] = [
        .optional(
            "to", ".png, .pdf or .svg path", .nil_,
            "also write the figure there (format "
                + "by extension)"), .optional("dpi", "number", .number(100)),
        .optional("title", "string", .nil_)
    ]

    /// Applies `dpi=`, `title=` and `to=` and returns the figure value.
    static func finish(_ f: Figure, _ a: Args) throws -> Value {
        var f = f
        f.dpi = try a.number("dpi")
        if let t = try a.optionalString("title") { f.title = t }
        f.source = a.interpreter.file
        try f.validate()
        if let path = try a.optionalString("to") {
            try FigureWriter.write(f, to: path)
            f.savedPath = path
        }
        return .figure(f)
    }

    static func record(_ a: Args, _ key: String) throws -> ECGRecord {
        switch a.value(key) {
        case .record(let r): return r
        case .tensor(let t):
            let sig = t.rank == 1 ? try t.reshape([1, t.count]) : t
            guard sig.rank == 2 else {
                throw EngineError(a.name, "a tensor must be (leads, samples) or (samples), got \(shapeString(t.shape))")
            }
            if sig.shape[1] <= 16 && sig.shape[0] > 4 * sig.shape[1] {
                throw Diagnostic(
                    "\(a.name): a tensor of shape \(shapeString(sig.shape)) looks like (samples, leads), the layout of wfdb-python's "
                        + "p_signal; ECG tensors here are (leads, samples): pass transpose(x)", at: a.place(key))
            }
            guard let rate = try a.optionalNumber("rate") else {
                throw Diagnostic(
                    "\(a.name): a tensor has no sampling rate: pass rate= (e.g. rate=500 for PTB-XL's records500, rate=100 "
                        + "for records100), or plot the Record", at: a.place(key))
            }
            guard rate > 0 && rate.isFinite else {
                throw Diagnostic("\(a.name): rate must be a positive number of Hz, got \(rate)", at: a.place("rate"))
            }
            let leads = sig.shape[0] == 12 ? standardLeads : (0..<sig.shape[0]).map { "lead \($0 + 1)" }
            // A tensor's scale is unknown (ds.x is standardised): arbitrary units on the paper.
            return ECGRecord(name: "tensor", rate: rate, leads: leads, units: Array(repeating: "a.u.", count: leads.count), signal: sig)
        default: throw a.typeError(key, "a Record or a Tensor")
        }
    }

    static func runs(_ v: Value, _ a: Args) throws -> [Run] {
        switch v {
        case .run(let r): return [r]
        case .list(let l):
            return try l.items.map {
                guard case .run(let r) = $0 else { throw a.typeError("run", "a Run or a list of Runs") }; return r
            }
        default: throw a.typeError("run", "a Run or a list of Runs")
        }
    }

    static let all: [Builtin] = [
        Builtin(
            "plot_ecg", topic: topic,
            [
                .required("x", "Record or Tensor (leads, samples)"), .choice("layout", default: Charts.ECGLayout.twelveLead),
                .optional("leads", "list of lead names (stack) or one name (strip)", .nil_),
                .optional("start", "seconds into the record", .number(0)),
                .optional("rate", "Hz (for tensors)", .nil_)
            ] + common,
            doc:
                "Standard ECG paper: 25 mm/s, 10 mm/mV, 1 mm/5 mm grid, calibration pulse; 3×4 layout with a lead II rhythm strip, stacked "
                + "leads, or one lead as a strip (10 s from start=).",
            example: "plot_ecg(wfdb(\"data/ptbxl-sample/records100/00000/00001_lr\"), to=\"ecg.png\")"
        ) { a in
            let leads = a.isNil("leads") ? nil : try a.strings("leads")
            return try finish(Charts.ecg(try record(a, "x"), layout: try a.choice("layout"), leads: leads, start: try a.number("start")), a)
        },
        Builtin(
            "plot_roc", topic: topic, [.required("evaluation", "Evaluation"), .optional("classes", "list of class names", .nil_)] + common,
            doc: "Per-class ROC curves with AUC in the legend, the macro average and the chance diagonal.", example: "plot_roc(ev)"
        ) { a in
            try finish(Charts.roc(try a.evaluation("evaluation"), classes: a.isNil("classes") ? nil : try a.strings("classes")), a)
        },
        Builtin(
            "plot_pr", topic: topic, [.required("evaluation", "Evaluation"), .optional("classes", "list of class names", .nil_)] + common,
            doc: "Per-class precision–recall curves with AP in the legend, the macro average and prevalence lines.", example: "plot_pr(ev)"
        ) { a in
            try finish(Charts.pr(try a.evaluation("evaluation"), classes: a.isNil("classes") ? nil : try a.strings("classes")), a)
        },
        Builtin(
            "plot_history", topic: topic,
            [
                .required("run", "Run or list of Runs"),
                .optional(
                    "metrics", "list of " + HistoryMetric.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "),
                    .list([.string("train_loss"), .string("val_loss"), .string("val_auroc")]))
            ] + common,
            doc: "Loss and validation metrics per epoch, best epoch marked; several runs overlaid.", example: "plot_history([base, post])"
        ) { a in
            try finish(Charts.history(try runs(a.value("run"), a), metrics: try a.choices("metrics")), a)
        },
        Builtin(
            "plot", topic: topic,
            [
                .required("x", "numbers"), .optional("y", "numbers", .nil_), .optional("label", "string", .nil_),
                .optional("xlabel", "string", .string("")), .optional("ylabel", "string", .string(""))
            ] + common,
            doc: "A line plot (plot(y) uses 0…n−1 for x).", example: "plot(linspace(0, 1, 50), linspace(0, 1, 50) ^ 2)"
        ) { a in
            var xs = try a.numbers("x"), ys = xs
            if a.isNil("y") { xs = (0..<ys.count).map(Double.init) } else { ys = try a.numbers("y") }
            return try finish(
                Charts.line(
                    xs, ys, label: try a.optionalString("label"), xlabel: try a.string("xlabel"), ylabel: try a.string("ylabel"),
                    markers: false), a)
        },
        Builtin(
            "scatter", topic: topic,
            [
                .required("x", "numbers"), .required("y", "numbers"), .optional("label", "string", .nil_),
                .optional("xlabel", "string", .string("")), .optional("ylabel", "string", .string(""))
            ] + common,
            doc: "A scatter plot.", example: "scatter(randn([50]), randn([50], seed=1))"
        ) { a in
            try finish(
                Charts.line(
                    try a.numbers("x"), try a.numbers("y"), label: try a.optionalString("label"), xlabel: try a.string("xlabel"),
                    ylabel: try a.string("ylabel"), markers: true), a)
        },
        Builtin(
            "bar", topic: topic,
            [
                .required("data", "Table or list of numbers"), .optional("x", "column of labels", .nil_),
                .optional("y", "column of values", .nil_),
                .optional("lo", "column of lower bounds", .nil_), .optional("hi", "column of upper bounds", .nil_),
                .optional("labels", "list of strings", .nil_), .optional("ylabel", "string", .string(""))
            ] + common,
            doc: "Bars with optional interval error bars; from a table (e.g. ablate's) by column names.",
            example: "bar(ablation, x=\"variant\", y=\"auroc\", lo=\"auroc_lo\", hi=\"auroc_hi\")"
        ) { a in
            if case .table(let t) = a.value("data") {
                let ylabel = try a.string("ylabel")
                return try finish(
                    Charts.bar(
                        t, x: try a.optionalString("x"), y: try a.optionalString("y"), lo: try a.optionalString("lo"),
                        hi: try a.optionalString("hi"), ylabel: ylabel.isEmpty ? nil : ylabel), a)
            }
            let values = try a.numbers("data")
            let labels = a.isNil("labels") ? values.indices.map { "\($0)" } : try a.strings("labels")
            return try finish(Charts.bar(labels, values, lo: nil, hi: nil, ylabel: try a.string("ylabel")), a)
        },
        Builtin(
            "hist", topic: topic,
            [.required("values", "numbers"), .optional("bins", "integer", .number(20)), .optional("xlabel", "string", .string(""))]
                + common,
            doc: "A histogram.", example: "hist(randn([1000]), bins=30)"
        ) { a in
            try finish(
                Charts.histogram(try a.numbers("values"), bins: try a.int("bins", min: 1, max: 10_000), xlabel: try a.string("xlabel")), a)
        }
    ]
}

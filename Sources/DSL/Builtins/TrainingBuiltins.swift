import Engine
import Foundation

enum TrainingBuiltins {
    static let topic = "training"

    static let settingParams: [Param] = [
        .optional("epochs", "integer", .nil_, "fine-tuning epochs"), .optional("lr", "number", .nil_), .optional("batch", "integer", .nil_),
        .optional("weight_decay", "number", .nil_), .optionalChoice("optimizer", TrainConfig.OptimizerChoice.self),
        .optionalChoice("schedule", TrainConfig.ScheduleChoice.self), .optional("warmup", "epochs", .nil_),
        .optional("preview_epochs", "integer", .nil_), .optional("preview_lr", "number", .nil_),
        .optional("drop_path", "number", .nil_), .optional("patience", "integer; nil or 0: no early stopping", .nil_),
        .optional("grad_clip", "number", .nil_),
        .optional("crop", "samples", .nil_), .optional("max_batches", "integer", .nil_), .optional("balanced", "bool", .bool(false)),
        .optional("seed", "integer", .number(0)), .optional("checkpoint", "folder", .nil_), .optional("resume", "bool", .bool(false))
    ]

    /// Recipe defaults overridden by whatever the call gave.
    static func settings(_ base: RecipeSettings, _ a: Args) throws -> RecipeSettings {
        var s = base
        var f = s.finetune, p = s.preview
        if let v = try a.optionalInt("epochs", min: 0) { f.epochs = v; if !s.finetuneEnabled { p.epochs = v } }
        if let v = try a.optionalNumber("lr") { f.lr = Float(v); if !s.finetuneEnabled { p.lr = Float(v) } }
        if let v = try a.optionalInt("batch", min: 1) { f.batch = v; p.batch = v }
        if let v = try a.optionalNumber("weight_decay") { f.weightDecay = Float(v) }
        if let o = try a.optionalChoice("optimizer", TrainConfig.OptimizerChoice.self) { f.optimizer = o }
        if let o = try a.optionalChoice("schedule", TrainConfig.ScheduleChoice.self) { f.schedule = o }
        if let v = try a.optionalInt("warmup", min: 0) { f.warmupEpochs = v }
        if let v = try a.optionalInt("preview_epochs", min: 0) { p.epochs = v; s.previewEnabled = s.previewEnabled && v > 0 }
        if let v = try a.optionalNumber("preview_lr") { p.lr = Float(v) }
        if let v = try a.optionalNumber("drop_path") { f.dropPath = Float(v) }
        if a.given.contains("patience") {
            let v = try a.optionalInt("patience", min: 0)
            f.patience = v == 0 ? nil : v // patience=nil or 0 turns early stopping off
        }
        if let v = try a.optionalNumber("grad_clip") { f.gradClip = Float(v) }
        if let v = try a.optionalInt("crop", min: 16) { f.crop = v; p.crop = v }
        if let v = try a.optionalInt("max_batches", min: 1) { f.maxBatches = v; p.maxBatches = v }
        f.balanced = try a.bool("balanced"); p.balanced = f.balanced
        let seed = try a.seed()
        f.seed = seed; p.seed = seed; s.headSeed = seed
        s.finetune = f
        s.preview = p
        s.checkpointDir = try a.optionalString("checkpoint")
        s.resume = try a.bool("resume")
        return s
    }

    static func hooks(_ a: Args) -> TrainHooks {
        let interp = a.interpreter
        return TrainHooks(onEvent: { interp.sink.progress($0) })
    }

    /// Fine-tuning, post-training or linear probing, one call.
    static func recipe(_ a: Args, _ recipe: Recipe) throws -> Value {
        let s = try settings(recipe.settings, a)
        return .run(try Recipes.run(recipe.rawValue, model: try a.model("model"), data: try a.dataset("ds"), settings: s, hooks: hooks(a)))
    }

    static let all: [Builtin] = [
        Builtin(
            "finetune", topic: topic,
            [
                .required("model", "Model"), .required("ds", "Dataset"),
                .choice("recipe", [Recipe.baseline, .post], default: .baseline)
            ] + settingParams,
            doc:
                "Fine-tunes a copy of the model on ds.train, selecting the epoch by ds.val macro AUROC. recipe=\"baseline\": ECGFounder's "
                + "template (new head, Adam 1e-4, wd 1e-5). recipe=\"post\": preview linear probing on cached features, then AdamW "
                + "fine-tuning with stochastic depth (defaults are ours, see help(\"recipes\")).",
            example: "run = finetune(m, ds, recipe=\"post\", epochs=10)"
        ) { a in
            try recipe(a, try a.choice("recipe"))
        },
        Builtin(
            "linear_probe", topic: topic, [.required("model", "Model"), .required("ds", "Dataset")] + settingParams,
            doc: "Trains only a new head on frozen, cached pooled features (20 epochs of AdamW 1e-3 by default, ours).",
            example: "lp = linear_probe(m, ds, epochs=20)"
        ) { a in try recipe(a, .linearProbe) },
        Builtin(
            "ablate", topic: topic,
            [.required("model", "Model"), .required("ds", "Dataset"), .optional("bootstrap", "integer", .number(100))] + settingParams,
            doc:
                "Runs the post-training recipe, the recipe without preview LP, without stochastic depth, without both, and the baseline; "
                + "returns a table of test metrics with intervals.",
            example: "ablate(m, ds, epochs=5)"
        ) { a in
            .table(
                try Ablation.run(
                    model: try a.model("model"), data: try a.dataset("ds"), post: try settings(.post, a),
                    baseline: try settings(.baseline, a), bootstrap: try a.int("bootstrap", min: 0), hooks: hooks(a)))
        },
        Builtin(
            "lead_stats_baseline", topic: topic,
            [
                .required("ds", "Dataset"), .optional("epochs", "integer", .number(100)),
                .optional("lr", "number", .number(0.01)), .optional("batch", "integer", .number(32)),
                .optional("seed", "integer", .number(0)), .optional("bootstrap", "integer", .number(100))
            ],
            doc:
                "A plain non-deep reference: logistic regression on per-lead statistics (mean, std, min, max, 5th/95th percentile, mean "
                + "absolute difference; z-scored on ds.train), AdamW with a cosine schedule, epoch chosen on ds.val macro AUROC; "
                + "returns its Evaluation on ds.test (compare it with the networks').",
            example: "ref = lead_stats_baseline(ds)"
        ) { a in
            var c = TrainConfig()
            c.epochs = try a.int("epochs", min: 1, max: 100_000); c.lr = Float(try a.number("lr")); c.batch = try a.int("batch", min: 1)
            c.seed = try a.seed(); c.warmupEpochs = 0; c.patience = nil; c.gradClip = nil; c.weightDecay = 1e-3
            guard c.lr > 0 && c.lr.isFinite else {
                throw Diagnostic("lead_stats_baseline: lr must be a positive number", at: a.place("lr"))
            }
            return .evaluation(
                try LeadStatistics.baseline(
                    try a.dataset("ds"), config: c, bootstrap: try a.int("bootstrap", min: 0),
                    hooks: TrainHooks()))
        },
        Builtin(
            "repeat", topic: topic, [.required("n", "integer"), .required("f", "function of the seed")],
            doc: "Calls f(seed) for seeds 0 … n−1 and returns the results as a list (for mean ± std across seeds, pass it to compare).",
            example: "runs = repeat(3, fn(s) { evaluate(finetune(m, ds, seed=s).model, ds.test) })"
        ) { a in
            let f = try a.function("f")
            var out: [Value] = []
            for s in 0..<(try a.int("n", min: 1, max: 10_000)) {
                if Cancellation.shouldStop() { break }
                out.append(try a.interpreter.callBack(f, [.number(Double(s))], at: a.range))
            }
            return .list(out)
        },
        Builtin(
            "compare", topic: topic, [.rest("items", "Runs, Evaluations, lists of them (seeds), or a dict of those by name")],
            doc:
                "A table comparing runs and evaluations (test metrics with bootstrap intervals; for a run, its selected epoch's validation "
                + "metrics). A list (seeds) becomes one row: mean, sample std, and the mean of the seeds' interval bounds. A dict "
                + "names its rows.",
            example: "compare({baseline: base_evals, post: post_evals})"
        ) { a in
            var rows: [[Table.Cell]] = []
            for (i, item) in a.rest.enumerated() {
                if case .dict(let d) = item {
                    for (k, v) in d.pairs { rows.append(try comparisonRow(k, v, place: "item \(i + 1), '\(k)'")) }
                } else {
                    rows.append(try comparisonRow(nil, item, place: "item \(i + 1)"))
                }
            }
            var evals: [Evaluation] = []
            func collect(_ v: Value) {
                switch v {
                case .evaluation(let e): evals.append(e)
                case .list(let l): l.items.forEach(collect)
                case .dict(let d): d.pairs.forEach { collect($0.1) }
                default: break
                }
            }
            a.rest.forEach(collect)
            return .table(try RunComparison.table(rows, evaluations: evals))
        }
    ]
}

/// One row of `compare` from a value: a run, an evaluation, or a list of them (seeds).
private func comparisonRow(_ label: String?, _ v: Value, place: String) throws -> [Table.Cell] {
    func scores(_ v: Value) -> (String, RunComparison.Scores)? {
        switch v {
        case .evaluation(let e): return ("evaluation", RunComparison.Scores(e))
        case .run(let r): return (r.recipe, RunComparison.Scores(r))
        default: return nil
        }
    }
    if case .list(let l) = v {
        guard !l.items.isEmpty else { throw EngineError("compare", "\(place) is an empty list") }
        let members = try l.items.map { x in
            guard let s = scores(x) else {
                throw EngineError("compare", "\(place): a list must hold only Evaluations or Runs, found a \(x.typeName)")
            }
            return s.1
        }
        return try RunComparison.row(label ?? "group \(place.dropFirst(5))", members)
    }
    guard let (kind, s) = scores(v) else {
        throw EngineError("compare", "\(place) is a \(v.typeName); expected a Run, an Evaluation, a list of them or a dict of those")
    }
    return try RunComparison.row(label ?? "\(kind) \(place.dropFirst(5))", [s])
}

import Engine
import Foundation

enum TrainingBuiltins {
    static let topic = "training"

    /// One parameter per recipe setting, with its documentation from the engine.
    static let settingParams: [Param] = RecipeSetting.allCases.map { setting in
        let name = setting.rawValue, doc = setting.doc
        switch setting {
        case .epochs, .batch, .warmup, .previewEpochs, .maxBatches: return .optional(name, "integer", .nil_, doc)
        case .lr, .weightDecay, .previewLR, .dropPath, .gradClip: return .optional(name, "number", .nil_, doc)
        case .optimizer: return .optionalChoice(name, TrainConfig.OptimizerChoice.self, doc)
        case .schedule: return .optionalChoice(name, TrainConfig.ScheduleChoice.self, doc)
        case .patience: return .optional(name, "integer or nil", .nil_, doc)
        case .crop: return .optional(name, "samples", .nil_, doc)
        case .balanced, .resume: return .optional(name, "bool", .bool(false), doc)
        case .seed: return .optional(name, "integer", .number(0), doc)
        case .checkpoint: return .optional(name, "folder", .nil_, doc)
        }
    }

    /// Recipe defaults overridden by whatever the call gave. A nil keeps the recipe's default, except for
    /// patience, where nil means no early stopping.
    static func settings(_ base: RecipeSettings, _ a: Args) throws -> RecipeSettings {
        var s = base
        for setting in RecipeSetting.allCases {
            let key = setting.rawValue
            let value: SettingValue
            switch a.value(key) {
            case .nil_:
                guard setting == .patience, a.given.contains(key) else { continue }
                value = .none
            case .number(let x): value = .number(x)
            case .string(let t): value = .text(key == "checkpoint" ? try a.path(key) : t)
            case .bool(let b): value = .flag(b)
            default: throw a.typeError(key, a.function.parameters.first { $0.name == key }?.type ?? "a setting value")
            }
            do { try s.set(setting, value) } catch let e as EngineError {
                throw Diagnostic("\(a.name): argument '\(key)' \(e.message)", at: a.place(key))
            }
        }
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
                throw EngineError("compare", "\(place): a list must hold only Evaluations or Runs, found \(x.aTypeName)")
            }
            return s.1
        }
        return try RunComparison.row(label ?? "group \(place.dropFirst(5))", members)
    }
    guard let (kind, s) = scores(v) else {
        throw EngineError("compare", "\(place) is \(v.aTypeName); expected a Run, an Evaluation, a list of them or a dict of those")
    }
    return try RunComparison.row(label ?? "\(kind) \(place.dropFirst(5))", [s])
}

import Engine
import Foundation

enum TrainingBuiltins {
    static let topic = "training"

    static let settingParams: [Param] = [
        .optional("epochs", "integer", .nil_, "fine-tuning epochs"), .optional("lr", "number", .nil_), .optional("batch", "integer", .nil_),
        .optional("weight_decay", "number", .nil_), .optional("optimizer", "\"adam\", \"adamw\" or \"sgd\"", .nil_),
        .optional("schedule", "\"cosine\", \"constant\" or \"step\"", .nil_), .optional("warmup", "epochs", .nil_),
        .optional("preview_epochs", "integer", .nil_), .optional("preview_lr", "number", .nil_),
        .optional("drop_path", "number", .nil_), .optional("patience", "integer or nil", .nil_), .optional("grad_clip", "number", .nil_),
        .optional("crop", "samples", .nil_), .optional("max_batches", "integer", .nil_), .optional("balanced", "bool", .bool(false)),
        .optional("seed", "integer", .number(0)), .optional("checkpoint", "folder", .nil_), .optional("resume", "bool", .bool(false)),
    ]

    /// Recipe defaults overridden by whatever the call gave.
    static func settings(_ base: RecipeSettings, _ a: Args) throws -> RecipeSettings {
        var s = base
        var f = s.finetune, p = s.preview
        if let v = try a.optionalInt("epochs", min: 0) { f.epochs = v; if !s.finetuneEnabled { p.epochs = v } }
        if let v = try a.optionalNumber("lr") { f.lr = Float(v); if !s.finetuneEnabled { p.lr = Float(v) } }
        if let v = try a.optionalInt("batch", min: 1) { f.batch = v; p.batch = v }
        if let v = try a.optionalNumber("weight_decay") { f.weightDecay = Float(v) }
        if let v = try a.optionalString("optimizer") {
            guard let o = TrainConfig.OptimizerChoice(rawValue: v) else { throw Diagnostic("\(a.name): optimizer must be \"adam\", \"adamw\" or \"sgd\", got \"\(v)\"", at: a.place("optimizer")) }
            f.optimizer = o
        }
        if let v = try a.optionalString("schedule") {
            guard let o = TrainConfig.ScheduleChoice(rawValue: v) else { throw Diagnostic("\(a.name): schedule must be \"cosine\", \"constant\" or \"step\", got \"\(v)\"", at: a.place("schedule")) }
            f.schedule = o
        }
        if let v = try a.optionalInt("warmup", min: 0) { f.warmupEpochs = v }
        if let v = try a.optionalInt("preview_epochs", min: 0) { p.epochs = v; s.previewEnabled = s.previewEnabled && v > 0 }
        if let v = try a.optionalNumber("preview_lr") { p.lr = Float(v) }
        if let v = try a.optionalNumber("drop_path") { f.dropPath = Float(v) }
        if let v = try a.optionalInt("patience", min: 1) { f.patience = v }
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
        return TrainHooks(onEvent: { interp.sink.progress($0) }, shouldStop: { interp.shouldStop() })
    }

    /// Fine-tuning, post-training or linear probing, one call.
    static func recipe(_ a: Args, name: String, base: RecipeSettings) throws -> Value {
        let s = try settings(base, a)
        return .run(try Recipes.run(name, model: try a.model("model"), data: try a.dataset("ds"), settings: s, hooks: hooks(a)))
    }

    static let all: [Builtin] = [
        Builtin("finetune", topic: topic, [.required("model", "Model"), .required("ds", "Dataset"),
                                            .optional("recipe", "\"baseline\" or \"post\"", .string("baseline"))] + settingParams,
                doc: "Fine-tunes a copy of the model on ds.train, selecting the epoch by ds.val macro AUROC. recipe=\"baseline\": ECGFounder's template (new head, Adam 1e-4, wd 1e-5). recipe=\"post\": preview linear probing on cached features, then AdamW fine-tuning with stochastic depth (defaults are ours, see help(\"recipes\")).",
                example: "run = finetune(m, ds, recipe=\"post\", epochs=10)") { a in
            let r = try a.choice("recipe", ["baseline", "post"])
            return try recipe(a, name: r, base: r == "post" ? .post : .baseline)
        },
        Builtin("linear_probe", topic: topic, [.required("model", "Model"), .required("ds", "Dataset")] + settingParams,
                doc: "Trains only a new head on frozen, cached pooled features (20 epochs of AdamW 1e-3 by default, ours).",
                example: "lp = linear_probe(m, ds, epochs=20)") { a in try recipe(a, name: "linear_probe", base: .linearProbe) },
        Builtin("ablate", topic: topic, [.required("model", "Model"), .required("ds", "Dataset"), .optional("bootstrap", "integer", .number(100))] + settingParams,
                doc: "Runs the post-training recipe, the recipe without preview LP, without stochastic depth, without both, and the baseline; returns a table of test metrics with intervals.",
                example: "ablate(m, ds, epochs=5)") { a in
            var variants: [(String, RecipeSettings)] = []
            let post = try settings(.post, a)
            variants.append(("post", post))
            var noPreview = post; noPreview.previewEnabled = false; variants.append(("post − preview LP", noPreview))
            var noDrop = post; noDrop.finetune.dropPath = 0; variants.append(("post − stochastic depth", noDrop))
            var neither = noPreview; neither.finetune.dropPath = 0; variants.append(("post − both", neither))
            variants.append(("baseline", try settings(.baseline, a)))
            let ds = try a.dataset("ds"), m = try a.model("model"), boot = try a.int("bootstrap", min: 0)
            var rows: [[Table.Cell]] = []
            for (name, s) in variants {
                a.interpreter.sink.progress(.message("ablate: \(name)"))
                let run = try Recipes.run(name, model: m, data: ds, settings: s, hooks: hooks(a))
                let ev = try Inference.evaluate(run.model, ds.test, bootstrap: boot, seed: s.finetune.seed, crop: s.finetune.crop)
                rows.append([.text(name), .number(run.bestValAUROC), .number(ev.auroc), .number(ev.aurocCI?.0 ?? .nan), .number(ev.aurocCI?.1 ?? .nan),
                             .number(ev.auprc), .number(ev.auprcCI?.0 ?? .nan), .number(ev.auprcCI?.1 ?? .nan), .number(run.seconds)])
                if run.interrupted { break }
            }
            return .table(try Table(title: "ablation on \(ds.name) (test fold)", columns: ["variant", "val_auroc", "auroc", "auroc_lo", "auroc_hi", "auprc", "auprc_lo", "auprc_hi", "seconds"], rows: rows))
        },
        Builtin("repeat", topic: topic, [.required("n", "integer"), .required("f", "function of the seed")],
                doc: "Calls f(seed) for seeds 0 … n−1 and returns the results as a list (for mean ± std across seeds, pass it to compare).",
                example: "runs = repeat(3, fn(s) { evaluate(finetune(m, ds, seed=s).model, ds.test) })") { a in
            let f = try a.function("f")
            var out: [Value] = []
            for s in 0..<(try a.int("n", min: 1, max: 10_000)) {
                if a.interpreter.shouldStop() { break }
                out.append(try a.interpreter.callBack(f, [.number(Double(s))], at: a.range))
            }
            return .list(out)
        },
        Builtin("compare", topic: topic, [.rest("items", "Runs, Evaluations, or lists of them (seeds)")],
                doc: "A table comparing runs and evaluations; a list of evaluations becomes one row with mean ± std.",
                example: "compare(evaluate(base.model, ds.test), evaluate(post.model, ds.test))") { a in
            var rows: [[Table.Cell]] = []
            func meanStd(_ xs: [Double]) -> (Double, Double) {
                let m = xs.reduce(0, +) / Double(xs.count)
                let v = xs.count > 1 ? xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count - 1) : 0
                return (m, v.squareRoot())
            }
            for (i, item) in a.rest.enumerated() {
                switch item {
                case .evaluation(let e):
                    rows.append([.text("evaluation \(i + 1)"), .number(1), .number(e.auroc), .number(0), .number(e.aurocCI?.0 ?? .nan), .number(e.aurocCI?.1 ?? .nan),
                                 .number(e.auprc), .number(0), .number(e.auprcCI?.0 ?? .nan), .number(e.auprcCI?.1 ?? .nan)])
                case .run(let r):
                    let last = r.history.last
                    rows.append([.text(r.recipe), .number(1), .number(r.bestValAUROC), .number(0), .number(.nan), .number(.nan),
                                 .number(last?.valAUPRC ?? .nan), .number(0), .number(.nan), .number(.nan)])
                case .list(let l):
                    let evs = l.items.compactMap { v -> (Double, Double)? in
                        if case .evaluation(let e) = v { return (e.auroc, e.auprc) }
                        if case .run(let r) = v { return (r.bestValAUROC, r.history.last?.valAUPRC ?? .nan) }
                        return nil
                    }
                    guard !evs.isEmpty, evs.count == l.items.count else { throw EngineError("compare", "item \(i + 1): a list must hold only Evaluations or Runs") }
                    let (ma, sa) = meanStd(evs.map(\.0)), (mp, sp) = meanStd(evs.map(\.1))
                    rows.append([.text("group \(i + 1)"), .number(Double(evs.count)), .number(ma), .number(sa), .number(.nan), .number(.nan), .number(mp), .number(sp), .number(.nan), .number(.nan)])
                default:
                    throw EngineError("compare", "item \(i + 1) is a \(item.typeName); expected a Run, an Evaluation or a list of them")
                }
            }
            return .table(try Table(title: "comparison", columns: ["item", "n", "auroc", "auroc_std", "auroc_lo", "auroc_hi", "auprc", "auprc_std", "auprc_lo", "auprc_hi"], rows: rows))
        },
    ]
}

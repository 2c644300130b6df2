import Foundation

/// The recipes users compare (SCIENCE.md §3), each one call: baseline fine-tuning, linear probing,
/// and post-training (preview linear probing on cached features, then fine-tuning with stochastic depth).
/// The input model is never modified; the run holds a trained copy.
public enum Recipes {
    /// Runs `settings` on `ds` (its `train` and `val` splits). `recipe` names the run.
    public static func run(
        _ recipe: String, model: Net1D, data ds: ECGDataset, settings: RecipeSettings,
        hooks: TrainHooks = TrainHooks()
    ) throws -> Run {
        // A stop request (`Cancellation`) ends each training phase gracefully, keeping its best model and
        // history; one before any epoch finished (while features are cached) throws `Interrupted`.
        let start = Date()
        let train = ds.train, val = ds.val
        guard train.count > 0 else { throw EngineError(recipe, "the dataset has no training records (folds 1–8)") }
        guard val.count > 0 else {
            throw EngineError(
                recipe,
                "the dataset has no validation records (fold 9) to choose the epoch by"
                    + (ds.split == "all" ? "" : " — this is its '\(ds.split)' view: pass the whole dataset (ds, not ds.\(ds.split))"))
        }
        guard model.config.leads == ds.leads.count else {
            throw EngineError(recipe, "the model takes \(model.config.leads) leads but the dataset has \(ds.leads.count)")
        }
        let m = try model.copy()
        if !model.pretrained && settings.finetuneEnabled && settings.finetune.lr < 5e-4 {
            hooks.onEvent(
                .message(
                    "\(recipe): this model starts from random weights, but lr \(settings.finetune.lr) and \(settings.finetune.epochs) "
                        + "epochs are the fine-tuning template for pre-trained weights: it is likely to be under-trained (measured on the "
                        + "400-record PTB-XL sample: 5 epochs at 1e-4 learn little more than class frequencies, 15 at 1e-3 reach "
                        + "AUROC 0.84). "
                        + "Give it its own budget (e.g. lr=1e-3, epochs=15), chosen on validation"))
        }
        var resumeState: (epoch: Int, history: [EpochRecord], optim: [String: Tensor])?
        if settings.resume, let dir = settings.checkpointDir, FileManager.default.fileExists(atPath: dir + "/last.safetensors") {
            resumeState = try Checkpoints.load(dir: dir, into: m, classes: ds.classes.count)
            hooks.onEvent(.message("\(recipe): resuming from \(dir)/last.safetensors after epoch \(resumeState!.epoch)"))
        } else {
            try m.replaceHead(classes: ds.classes.count, seed: settings.headSeed)
        }
        var history: [EpochRecord] = resumeState?.history ?? []
        var interrupted = false
        var bestEpoch: Int?, bestAUROC = Double.nan
        if settings.previewEnabled && resumeState == nil {
            let o = try trainHeadOnFeatures(
                m, train: train, val: val, config: settings.preview,
                phase: settings.finetuneEnabled ? .preview : .linearProbe, hooks: hooks)
            history += o.history
            interrupted = o.interrupted
            bestEpoch = o.bestEpoch
            bestAUROC = o.bestAUROC
        }
        if settings.finetuneEnabled && !interrupted {
            let o = try fineTune(
                m, train: train, val: val, config: settings.finetune, hooks: hooks, history: history,
                resume: resumeState, checkpointDir: settings.checkpointDir)
            history = o.history
            interrupted = o.interrupted
            bestEpoch = o.bestEpoch
            bestAUROC = o.bestAUROC
        }
        m.setBackboneFrozen(false)
        try m.setDropPath(maxRate: 0)
        m.transform = InputTransform(ds)
        return Run(
            recipe: recipe, model: m, history: history, bestEpoch: bestEpoch, bestValAUROC: bestAUROC,
            interrupted: interrupted, seconds: Date().timeIntervalSince(start), settings: settings.described)
    }

    /// Validation loss and macro metrics from logits.
    static func validation(logits: Tensor, targets: Tensor, classes: [String]) throws -> (Double, Double, Double) {
        let loss = Double(try Tensor.bceWithLogits(logits, targets: targets).item())
        let ev = try Evaluation(classes: classes, scores: logits.sigmoid(), labels: targets)
        return (loss, ev.auroc, ev.auprc)
    }

    static func positiveWeights(_ train: ECGDataset, _ c: TrainConfig) -> Tensor? {
        guard c.balanced else { return nil }
        let counts = train.classCounts()
        return Tensor(counts.map { Float(max(train.count - $0, 1)) / Float(max($0, 1)) }, shape: [counts.count])
    }

    /// Full fine-tuning of every unfrozen parameter (stochastic depth per `config.dropPath`).
    static func fineTune(
        _ m: Net1D, train: ECGDataset, val: ECGDataset, config: TrainConfig, hooks: TrainHooks,
        history: [EpochRecord], resume: (epoch: Int, history: [EpochRecord], optim: [String: Tensor])?,
        checkpointDir: String?
    ) throws -> Trainer.Outcome {
        m.setBackboneFrozen(false)
        try m.setDropPath(maxRate: config.dropPath)
        let named = m.parameters
        let phase = Trainer.Phase(
            name: .finetune, config: config, params: named, trainCount: train.count,
            batch: { positions, rng in try train.batch(positions, crop: config.crop, rng: &rng) },
            forward: { x, ctx in try m.forward(x, ctx) },
            validate: {
                guard val.count > 0 else { return nil }
                return try validation(logits: Inference.logits(m, val, crop: config.crop), targets: val.allTargets(), classes: val.classes)
            },
            posWeight: positiveWeights(train, config), snapshot: m.snapshot, restore: m.restore)
        let save: ((Int, Optimizer, [EpochRecord], Bool) throws -> Void)? = checkpointDir.map { dir in
            { epoch, opt, hist, isBest in
                try Checkpoints.save(dir: dir, model: m, optimizer: opt, named: named, epoch: epoch, history: hist, isBest: isBest)
            }
        }
        var initialBest: (epoch: Int, auroc: Double, snap: [Tensor])?
        if resume != nil, let dir = checkpointDir {
            let ft = history.enumerated().filter { $0.element.phase == .finetune }
            if let b = ft.max(by: { Trainer.better($1.element.valAUROC, than: $0.element.valAUROC) }),
                FileManager.default.fileExists(atPath: dir + "/best.safetensors")
            {
                let bm = try m.copy()
                try bm.loadState(try ModelIO.readState(path: dir + "/best.safetensors"))
                initialBest = (ft.firstIndex { $0.offset == b.offset }! + 1, b.element.valAUROC, bm.snapshot())
            }
        }
        return try Trainer.run(
            phase, hooks: hooks, startEpoch: resume?.epoch ?? 0, history: history,
            optimizerState: resume?.optim, initialBest: initialBest, checkpoint: save)
    }

    /// Trains only the head on pooled features computed once with the frozen backbone (centre crops
    /// when `config.crop` is set). Equivalent to frozen-backbone training without dropout, much faster.
    static func trainHeadOnFeatures(
        _ m: Net1D, train: ECGDataset, val: ECGDataset, config: TrainConfig, phase name: TrainingPhase,
        hooks: TrainHooks
    ) throws -> Trainer.Outcome {
        hooks.onEvent(.message("\(name): caching pooled features of \(train.count) training and \(val.count) validation records"))
        let ft = try Inference.embed(m, train, crop: config.crop)
        let fv = val.count > 0 ? try Inference.embed(m, val, crop: config.crop) : nil
        let yt = train.allTargets(), yv = val.allTargets()
        m.setBackboneFrozen(true)
        defer { m.setBackboneFrozen(false) }
        let phase = Trainer.Phase(
            name: name, config: config, params: m.headParameters, trainCount: train.count,
            batch: Trainer.rowBatches(features: ft, targets: yt),
            forward: { x, _ in try m.dense(x) },
            validate: {
                guard let fv else { return nil }
                let logits = try GradMode.withoutGrad { try m.dense(fv) }
                return try validation(logits: logits, targets: yv, classes: val.classes)
            },
            posWeight: positiveWeights(train, config),
            snapshot: { m.headParameters.map { $0.1.clone() } },
            restore: { snap in for ((_, t), s) in zip(m.headParameters, snap) { try t.copyValues(from: s) } })
        return try Trainer.run(phase, hooks: hooks)
    }
}

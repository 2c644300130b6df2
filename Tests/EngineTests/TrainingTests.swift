import Foundation
import Testing
@testable import Engine

/// Training loop, recipes, interruption, checkpoints and subsets on small synthetic data.
@Suite struct TrainingTests {
    static func data(_ n: Int = 120) throws -> ECGDataset {
        var g = SyntheticECG()
        g.seconds = 2.5
        return try g.dataset(count: n, seed: 5).standardized()
    }
    static func tiny(classes: Int = 10) throws -> Net1D {
        var c = try Net1DConfig.preset("tiny", classes: classes)
        c.classes = classes
        return try Net1D(c, seed: 1)
    }
    static func quick(_ s: RecipeSettings, epochs: Int = 2) -> RecipeSettings {
        var s = s
        s.finetune.epochs = epochs; s.finetune.batch = 16; s.finetune.patience = nil
        s.preview.epochs = epochs; s.preview.batch = 16
        return s
    }

    @Test func cachedFeatureProbeEqualsFrozenTraining() throws {
        let ds = try Self.data()
        let model = try Self.tiny()
        let settings = Self.quick(.linearProbe, epochs: 3)
        let cached = try Recipes.run("linear_probe", model: model, data: ds, settings: settings)
        // The same head training through the full network with the backbone frozen.
        let m = try model.copy()
        try m.replaceHead(classes: ds.classes.count, seed: settings.headSeed)
        m.setBackboneFrozen(true)
        let train = ds.train, val = ds.val
        let phase = Trainer.Phase(
            name: .linearProbe, config: settings.preview, params: m.headParameters, trainCount: train.count,
            batch: { p, rng in try train.batch(p, rng: &rng) }, forward: { x, ctx in try m.forward(x, ctx) },
            validate: { try Recipes.validation(logits: Inference.logits(m, val), targets: val.allTargets(), classes: val.classes) },
            posWeight: nil, snapshot: { m.headParameters.map { $0.1.clone() } },
            restore: { s in for ((_, t), v) in zip(m.headParameters, s) { try t.copyValues(from: v) } })
        let full = try Trainer.run(phase, hooks: TrainHooks())
        #expect(relativeError(cached.model.dense.weight, m.dense.weight) < 1e-4)
        #expect(relativeError(cached.model.dense.bias, m.dense.bias) < 1e-4)
        #expect(cached.history.count == 3 && full.history.count == 3)
        for (a, b) in zip(cached.history, full.history) { #expect(abs(a.trainLoss - b.trainLoss) < 1e-5) }
        // The input model is untouched and the backbone equals the pre-trained one.
        #expect(model.classes == 10 && cached.model.firstConv.weight.values == model.firstConv.weight.values)
    }

    @Test func postRecipeLearnsAndRecordsHistory() throws {
        let ds = try Self.data(200)
        var events = 0
        var s = Self.quick(.post, epochs: 3)
        s.finetune.lr = 3e-3
        let run = try Recipes.run(
            "post", model: try Self.tiny(), data: ds, settings: s,
            hooks: TrainHooks(onEvent: { _ in events += 1 }))
        #expect(run.history.map(\.phase) == [.preview, .preview, .preview, .finetune, .finetune, .finetune])
        #expect(run.bestEpoch != nil && events > 6 && !run.interrupted)
        let ev = try Inference.evaluate(run.model, ds.test, bootstrap: 0)
        #expect(ev.auroc > 0.6, "test AUROC \(ev.auroc)")
        #expect(run.model.stages[0][0].dropPath == 0)
    }

    @Test func stopRequestKeepsBestModelAndHistory() throws {
        let ds = try Self.data()
        let batches = Counter()
        let hooks = TrainHooks(onEvent: { if case .batch = $0 { batches.value += 1 } })
        var s = Self.quick(.baseline, epochs: 5)
        s.finetune.batch = 8
        let run = try Cancellation.withStopCheck({ batches.value >= 9 }) {
            try Recipes.run("baseline", model: try Self.tiny(), data: ds, settings: s, hooks: hooks)
        }
        #expect(run.interrupted && batches.value == 9)
        #expect(run.history.isEmpty || run.history.count == 1) // 9 batches < 1 epoch of 8-record batches
    }

    @Test func resumeFromCheckpointIsExact() throws {
        let ds = try Self.data()
        let dir = Fixtures.tempDir()
        var s = Self.quick(.post, epochs: 3)
        let straight = try Recipes.run("post", model: try Self.tiny(), data: ds, settings: s)
        s.checkpointDir = dir
        // Stop after the second fine-tuning epoch, as Ctrl-C would, then resume.
        let finetuneEpochs = Counter()
        let hooks = TrainHooks(onEvent: { if case .epoch(let r, _) = $0, r.phase == .finetune { finetuneEpochs.value += 1 } })
        let first = try Cancellation.withStopCheck({ finetuneEpochs.value >= 2 }) {
            try Recipes.run("post", model: try Self.tiny(), data: ds, settings: s, hooks: hooks)
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/last.safetensors") && first.history.count == 5 && first.interrupted)
        s.resume = true
        let resumed = try Recipes.run("post", model: try Self.tiny(), data: ds, settings: s)
        #expect(resumed.history.count == 6)
        #expect(resumed.history.map(\.trainLoss) == straight.history.map(\.trainLoss))
        #expect(relativeError(resumed.model.dense.weight, straight.model.dense.weight) == 0)
        #expect(resumed.bestEpoch == straight.bestEpoch)
    }

    @Test func stratifiedSubsetKeepsEveryClass() throws {
        let ds = try Self.data(300)
        let sub = try ds.subset(fraction: 0.1, seed: 1)
        #expect(sub.val.count == ds.val.count && sub.test.count == ds.test.count)
        #expect(abs(Double(sub.train.count) - 0.1 * Double(ds.train.count)) <= Double(ds.classes.count))
        for (a, b) in zip(ds.train.classCounts(), sub.train.classCounts()) where a > 0 { #expect(b >= 1) }
        #expect(try ds.subset(fraction: 0.1, seed: 1).indices == sub.indices)
        #expect(throws: EngineError("subset", "fraction must be in (0, 1], got 0.0")) { try ds.subset(fraction: 0, seed: 1) }
    }

    @Test func badSettingsAndShapes() throws {
        let ds = try Self.data(40)
        var s = RecipeSettings.baseline
        s.finetune.lr = -1
        #expect(throws: EngineError("finetune", "lr must be positive, got -1.0")) {
            try Recipes.run("baseline", model: try Self.tiny(), data: ds, settings: s)
        }
        var c = try Net1DConfig.preset("tiny", classes: 3)
        c.leads = 1
        #expect(throws: EngineError("post", "the model takes 1 leads but the dataset has 12")) {
            try Recipes.run("post", model: try Net1D(c), data: ds, settings: .post)
        }
    }
}

/// A count that a stop check reads (training runs on the calling thread; the check only needs to be Sendable).
final class Counter: @unchecked Sendable {
    var value = 0
}

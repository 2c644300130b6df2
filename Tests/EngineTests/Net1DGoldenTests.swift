import Foundation
import Testing
@testable import Engine

/// Net1D against PyTorch: checkpoints written by torch.save, reference values from
/// scripts/make_reference.py. Tolerances: forward ≤ 1e-4, gradients ≤ 1e-3 (relative to the
/// largest reference magnitude), AdamW step ≤ 1e-5.
@Suite struct Net1DGoldenTests {
    static let cases = ["tiny-L1000", "tiny-L5000", "tiny-odd-L777", "tiny-bn-L1000", "small-L1000"]

    func load(_ name: String) throws -> (Net1D, [String: Tensor]) {
        let ref = try Fixtures.reference("\(name).ref.safetensors")
        let dict = try TorchCheckpoint.load(path: Fixtures.golden("\(name).pth"))
        var config = try Net1D.inferConfig(from: dict)
        config.useBatchNorm = name.contains("-bn-")
        let model = try Net1D(config, seed: 99)
        try model.loadState(dict)
        return (model, ref)
    }

    @Test(arguments: cases)
    func forwardMatchesPyTorch(_ name: String) throws {
        let (model, ref) = try load(name)
        let x = try #require(ref["input"])
        let ctx = ForwardContext(training: false, capture: true)
        let logits = try GradMode.withoutGrad { try model.forward(x, ctx) }
        #expect(relativeError(logits, try #require(ref["logits"])) <= 1e-4)
        for (key, act) in ctx.captured {
            if let r = ref["act." + key] { #expect(relativeError(act, r) <= 1e-4, "activation \(key)") }
        }
        #expect(ctx.captured.count == model.config.filters.count + 2)
    }

    @Test(arguments: cases)
    func gradientsAndAdamWMatchPyTorch(_ name: String) throws {
        let (model, ref) = try load(name)
        let x = try #require(ref["input"]), y = try #require(ref["targets"])
        let ctx = ForwardContext(training: name.contains("-bn-"))
        let logits = try model.forward(x, ctx)
        if let trainLogits = ref["train_logits"] { #expect(relativeError(logits, trainLogits) <= 1e-4) }
        let loss = try Tensor.bceWithLogits(logits, targets: y)
        #expect(abs(try loss.item() - (try #require(ref["loss"])).data[0]) <= 1e-5)
        try loss.backward()
        let batchNorm = name.contains("-bn-")
        var compared = 0
        var refGrads: [String: Tensor] = [:]
        for (key, p) in model.parameters {
            guard let g = ref["grad." + key] else { continue }
            refGrads[key] = g
            guard let pg = p.grad else { Issue.record("no gradient for \(key)"); continue }
            if batchNorm && Self.feedsBatchNorm(key) {
                // BatchNorm removes the mean, so this bias has a zero gradient; both sides hold rounding noise.
                #expect(pg.values.allSatisfy { abs($0) <= 1e-5 }, "gradient of \(key) should vanish")
                continue
            }
            #expect(relativeError(pg, g) <= 1e-3, "gradient of \(key)")
            if let norm = ref["gradnorm." + key] {
                let mine = sqrt(pg.values.reduce(Float(0)) { $0 + $1 * $1 })
                #expect(abs(mine - norm.data[0]) <= 1e-3 * norm.data[0] + 1e-8, "gradient norm of \(key)")
            }
            compared += 1
        }
        #expect(compared >= 8)
        for (key, t) in model.state where key.contains("running_") {
            if let r = ref["after_train." + key] { #expect(relativeError(t, r) <= 1e-4, "running statistic \(key)") }
        }
        let lr: Float = 1e-3
        let opt = try Optimizer.adamW(model.parameters.map(\.1), lr: lr, weightDecay: 0.01)
        opt.step()
        for (key, p) in model.parameters {
            guard let w = ref["adamw." + key], let g = refGrads[key] else { continue }
            // Adam's first step is about lr·sign(g): where |g| is near eps, float32 rounding of g
            // can move it by up to 2·lr; everywhere else the weights must agree to 1e-6.
            var worst: Float = 0, worstTiny: Float = 0
            for i in 0..<p.count {
                let d = abs(p.data[i] - w.data[i])
                if abs(g.data[i]) > 1e-6 { worst = max(worst, d) } else { worstTiny = max(worstTiny, d) }
            }
            #expect(worst <= 1e-6, "AdamW update of \(key)")
            #expect(worstTiny <= 2 * lr + 1e-6, "AdamW update of \(key) (near-zero gradients)")
        }
    }

    /// Biases of convolutions whose output goes straight into a BatchNorm.
    static func feedsBatchNorm(_ key: String) -> Bool {
        key == "first_conv.conv.bias" || key.hasSuffix("conv1.conv.bias") || key.hasSuffix("conv2.conv.bias")
    }

    @Test func presetSizesMatchTheLiterature() throws {
        let big = try Net1D(Net1DConfig.preset("ecgfounder", classes: 71))
        #expect(abs(Double(big.parameterCount) / 1e6 - 30.67) < 0.01)
        #expect(big.state.count == big.parameters.count)
        #expect(big.config.totalBlocks == 20)
        let small = try Net1D(Net1DConfig.preset("small", classes: 71))
        #expect(abs(Double(small.parameterCount) / 1e6 - 2.37) < 0.03)
    }

    /// The analytic cost the benchmark reports, against SCIENCE.md §1: 2.34 GFLOP per 12×5000
    /// sample (0.485 at L = 1000) for ecgfounder, 0.046 for small at L = 1000.
    @Test func forwardCostMatchesTheLiterature() throws {
        let big = try Net1DConfig.preset("ecgfounder", classes: 71)
        #expect(abs(big.forwardFLOPs(length: 5000) / 1e9 - 2.34) < 0.005)
        #expect(abs(big.forwardFLOPs(length: 1000) / 1e9 - 0.485) < 0.001)
        #expect(abs(try Net1DConfig.preset("small", classes: 71).forwardFLOPs(length: 1000) / 1e9 - 0.046) < 0.001)
    }

    @Test func stateKeysMatchPyTorchNames() throws {
        let dict = try TorchCheckpoint.load(path: Fixtures.golden("small-L1000.pth"))
        let model = try Net1D(Net1D.inferConfig(from: dict))
        let mine = Set(model.state.map(\.0))
        let theirs = Set(dict.keys.filter { !Net1D.isIgnorableKey($0) })
        #expect(mine == theirs)
        #expect(dict.keys.contains("stage_list.0.block_list.0.bn1.num_batches_tracked"))
    }

    @Test func loadModelReplacesHeadAndKeepsBackbone() throws {
        let model = try ModelIO.loadNet1D(path: Fixtures.golden("tiny-L1000.pth"), classes: 9, seed: 3)
        #expect(model.classes == 9)
        let dict = try TorchCheckpoint.load(path: Fixtures.golden("tiny-L1000.pth"))
        let w = try #require(dict["stage_list.2.block_list.0.conv2.conv.weight"])
        let mine = try #require(model.state.first { $0.0 == "stage_list.2.block_list.0.conv2.conv.weight" }?.1)
        #expect(relativeError(mine, w) == 0)
    }

    @Test func dropPathIsInactiveInEvalAndRandomInTraining() throws {
        let model = try Net1D(Net1DConfig.preset("tiny", classes: 3), seed: 1)
        var rng = SeededRandom(seed: 5)
        let x = try Tensor.randn([4, 12, 300], rng: &rng)
        let plain = try model(x)
        try model.setDropPath(maxRate: 0.5)
        let blocks = model.stages.flatMap { $0 }
        #expect(blocks.first?.dropPath == 0 && blocks.last?.dropPath == 0.5)
        #expect(relativeError(try model(x), plain) == 0)
        let trained = try GradMode.withoutGrad { try model.forward(x, ForwardContext(training: true, seed: 1)) }
        #expect(relativeError(trained, plain) > 1e-4)
        #expect(throws: EngineError.self) { try model.setDropPath(maxRate: 1.0) }
    }

    @Test func frozenBackboneGetsNoGradients() throws {
        let model = try Net1D(Net1DConfig.preset("tiny", classes: 3), seed: 1)
        model.setBackboneFrozen(true)
        var rng = SeededRandom(seed: 2)
        let x = try Tensor.randn([2, 12, 200], rng: &rng)
        let loss = try Tensor.bceWithLogits(model.forward(x), targets: Tensor(zeros: [2, 3]))
        try loss.backward()
        #expect(model.backboneParameters.allSatisfy { $0.1.grad == nil })
        #expect(model.headParameters.allSatisfy { $0.1.grad != nil })
        // Pooled features are what the head sees: dense(features) equals the logits.
        let f = try model.features(x)
        #expect(f.shape == [2, 64])
        #expect(relativeError(try model.dense(f), try model(x)) <= 1e-6)
    }

    @Test func wrongInputShapeIsAClearError() throws {
        let model = try Net1D(Net1DConfig.preset("tiny", classes: 3))
        #expect(throws: EngineError("net1d", "input must be (N, 12, L); got shape [2, 3, 100]")) {
            try model(Tensor(zeros: [2, 3, 100]))
        }
    }
}

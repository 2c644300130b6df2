/// ECGFounder's Net1D: `first_conv` (k, stride 2) + Swish, stages of residual blocks, mean over
/// time, `dense` head. Input `(N, leads, L)` → logits `(N, classes)`; `features` gives the pooled
/// `(N, filters.last)` representation the head sees. Parameter names match the PyTorch state dict.
public final class Net1D {
    public let config: Net1DConfig
    /// The input transform of the data this model was trained on (set by the recipes, saved with the
    /// model); nil for a model that was only built or loaded from a checkpoint made elsewhere.
    public var transform: InputTransform?
    /// Whether the weights came from a checkpoint (pre-trained) rather than a random initialisation:
    /// the recipes' defaults are a fine-tuning template for pre-trained weights.
    public var pretrained = false
    public let firstConv: Conv1dSame
    public let firstBN: BatchNorm1d?
    public let stages: [[Net1DBlock]]
    public private(set) var dense: Linear

    public init(_ config: Net1DConfig, seed: UInt64 = 0) throws {
        try config.validate()
        self.config = config
        var rng = SeededRandom(seed: seed)
        firstConv = Conv1dSame(
            inChannels: config.leads, outChannels: config.baseFilters,
            kernelSize: config.kernelSize, stride: 2, rng: &rng)
        firstBN = config.useBatchNorm ? BatchNorm1d(features: config.baseFilters) : nil
        var stages: [[Net1DBlock]] = []
        var inC = config.baseFilters
        for (i, outC) in config.filters.enumerated() {
            var blocks: [Net1DBlock] = []
            for j in 0..<config.blocks[i] {
                blocks.append(
                    Net1DBlock(
                        inChannels: j == 0 ? inC : outC, outChannels: outC, kernelSize: config.kernelSize,
                        stride: j == 0 ? config.stride : 1, groups: outC / config.groupsWidth, downsample: j == 0,
                        isFirstBlock: i == 0 && j == 0, useBatchNorm: config.useBatchNorm,
                        useDropout: config.useDropout, rng: &rng))
            }
            stages.append(blocks)
            inC = outC
        }
        self.stages = stages
        dense = Linear(inFeatures: config.featureCount, outFeatures: config.classes, rng: &rng)
    }

    /// Pooled backbone features `(N, filters.last)`.
    public func features(_ x: Tensor, _ ctx: ForwardContext = ForwardContext()) throws -> Tensor {
        guard x.rank == 3, x.shape[1] == config.leads else {
            throw EngineError("net1d", "input must be (N, \(config.leads), L); got shape \(shapeString(x.shape))")
        }
        guard x.shape[2] >= 1 else { throw EngineError("net1d", "input has no samples (L = 0)") }
        var out: Tensor
        if let firstBN {
            out = try firstBN(firstConv(x), training: ctx.training, shard: ctx.shard).swish()
        } else {
            out = try firstConv(x, swish: true)
        }
        ctx.record("first_conv", out)
        for (i, stage) in stages.enumerated() {
            for block in stage { out = try block.forward(out, ctx) }
            ctx.record("stage_list.\(i)", out)
        }
        let pooled = try out.mean(dims: [2])
        ctx.record("pooled", pooled)
        return pooled
    }

    /// Logits `(N, classes)`.
    public func forward(_ x: Tensor, _ ctx: ForwardContext = ForwardContext()) throws -> Tensor {
        try dense(features(x, ctx))
    }

    /// Logits in evaluation mode without recording gradients.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try GradMode.withoutGrad { try forward(x) }
    }

    /// Every parameter and buffer in PyTorch's state-dict order.
    public var state: [(String, Tensor)] {
        var r = firstConv.named("first_conv.")
        if let firstBN { r += firstBN.named("first_bn.") }
        for (i, stage) in stages.enumerated() {
            for (j, b) in stage.enumerated() { r += b.named("stage_list.\(i).block_list.\(j).") }
        }
        return r + dense.named("dense.")
    }

    /// Trainable tensors (state minus BatchNorm running statistics).
    public var parameters: [(String, Tensor)] {
        state.filter { !$0.0.hasSuffix("running_mean") && !$0.0.hasSuffix("running_var") && !$0.0.hasSuffix("num_batches_tracked") }
    }

    public var headParameters: [(String, Tensor)] { parameters.filter { $0.0.hasPrefix("dense.") } }
    public var backboneParameters: [(String, Tensor)] { parameters.filter { !$0.0.hasPrefix("dense.") } }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.1.count } }

    /// Freezes (or unfreezes) every backbone parameter; the head stays trainable.
    public func setBackboneFrozen(_ frozen: Bool) {
        for (_, t) in backboneParameters { t.requiresGrad = !frozen; if frozen { t.grad = nil } }
    }

    /// Sets stochastic depth: block i of B drops its branch with probability `maxRate * i / (B - 1)`.
    public func setDropPath(maxRate: Float) throws {
        guard maxRate >= 0, maxRate < 1 else { throw EngineError("drop_path", "rate must be in [0, 1) (got \(maxRate))") }
        let blocks = stages.flatMap { $0 }
        for (i, b) in blocks.enumerated() {
            b.dropPath = blocks.count > 1 ? maxRate * Float(i) / Float(blocks.count - 1) : maxRate
        }
    }

    /// Replaces the head with a freshly initialised `Linear(features, classes)`.
    public func replaceHead(classes: Int, seed: UInt64) throws {
        guard classes > 0 else { throw EngineError("net1d", "classes must be positive (got \(classes))") }
        _ = try Tensor.checkedCount([classes, config.featureCount], op: "net1d")
        var rng = SeededRandom(seed: seed)
        dense = Linear(inFeatures: config.featureCount, outFeatures: classes, rng: &rng)
    }

    public var classes: Int { dense.weight.shape[0] }
}

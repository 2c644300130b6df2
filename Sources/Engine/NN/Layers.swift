import Foundation

/// State shared by one forward pass: training mode, the seeded generator for dropout / drop path,
/// and an optional recorder of intermediate activations (for inspection and golden tests).
public final class ForwardContext {
    public var training: Bool
    public var rng: SeededRandom
    public var captured: [(String, Tensor)] = []
    public var capture: Bool
    /// This rank's part of the batch in data-parallel training (nil: the batch is all here).
    public var shard: BatchShard?

    public init(training: Bool = false, seed: UInt64 = 0, capture: Bool = false) {
        self.training = training
        self.rng = SeededRandom(seed: seed)
        self.capture = capture
    }

    func record(_ name: String, _ t: Tensor) { if capture { captured.append((name, t)) } }
}

/// PyTorch's default initialisation for Conv1d / Linear: weights and biases uniform in
/// ±1/sqrt(fan_in) (kaiming_uniform with a = sqrt(5)).
func defaultInit(_ shape: [Int], fanIn: Int, rng: inout SeededRandom) -> Tensor {
    let bound = Float(1 / Double(Swift.max(fanIn, 1)).squareRoot())
    let t = (try? Tensor.uniform(shape, low: -bound, high: bound, rng: &rng)) ?? Tensor(zeros: shape)
    t.requiresGrad = true
    return t
}

/// Conv1d with SAME padding (ECGFounder's `MyConv1dPadSame`); keys `conv.weight`, `conv.bias`.
/// Input `(N, in, L)` → output `(N, out, ceil(L / stride))`.
public final class Conv1dSame {
    public var weight: Tensor
    public var bias: Tensor
    public let stride: Int
    public let groups: Int

    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, groups: Int = 1, rng: inout SeededRandom) {
        let fanIn = inChannels / groups * kernelSize
        weight = defaultInit([outChannels, inChannels / groups, kernelSize], fanIn: fanIn, rng: &rng)
        bias = defaultInit([outChannels], fanIn: fanIn, rng: &rng)
        self.stride = stride
        self.groups = groups
    }

    /// The convolution, followed by Swish in the same pass when `swish`; of `swish(x)` when `inputSwish`.
    public func callAsFunction(_ x: Tensor, swish: Bool = false, inputSwish: Bool = false) throws -> Tensor {
        let (l, r) = padding(length: x.shape.last ?? 0)
        return try Tensor.conv1d(
            x, weight: weight, bias: bias, stride: stride, padLeft: l, padRight: r, groups: groups,
            swish: swish, inputSwish: inputSwish)
    }

    /// The geometry `callAsFunction` computes for an input of `shape`, or nil where it would throw.
    func geometry(input shape: [Int]) -> ConvGeometry? {
        guard shape.count == 3, weight.shape[1] * groups == shape[1], shape[2] > 0 else { return nil }
        let (l, r) = padding(length: shape[2])
        return ConvGeometry(
            n: shape[0], cin: shape[1], l: shape[2], cout: weight.shape[0], k: weight.shape[2], stride: stride, padLeft: l,
            padRight: r, groups: groups)
    }

    /// The SAME padding of an input of `length` positions.
    private func padding(length: Int) -> (left: Int, right: Int) {
        Tensor.samePadding(length: length, kernel: weight.shape[2], stride: stride)
    }

    func named(_ p: String) -> [(String, Tensor)] { [(p + "conv.weight", weight), (p + "conv.bias", bias)] }
}

/// Fully connected layer `(…, in)` → `(…, out)`; keys `weight`, `bias`.
public final class Linear {
    public var weight: Tensor
    public var bias: Tensor

    public init(inFeatures: Int, outFeatures: Int, rng: inout SeededRandom) {
        weight = defaultInit([outFeatures, inFeatures], fanIn: inFeatures, rng: &rng)
        bias = defaultInit([outFeatures], fanIn: inFeatures, rng: &rng)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try Tensor.linear(x, weight: weight, bias: bias) }

    func named(_ p: String) -> [(String, Tensor)] { [(p + "weight", weight), (p + "bias", bias)] }
}

/// BatchNorm1d over `(N, C, L)`: batch statistics in training (updating running estimates with
/// `momentum`), running statistics in evaluation. Keys as PyTorch's, including `num_batches_tracked`.
/// In data-parallel training the statistics are those of the whole batch over every rank (SyncBatchNorm).
public final class BatchNorm1d {
    public var weight: Tensor
    public var bias: Tensor
    public var runningMean: Tensor
    public var runningVar: Tensor
    public var numBatchesTracked: Tensor
    public var momentum: Float = 0.1
    public var eps: Float = 1e-5

    public init(features: Int) {
        weight = Tensor(zeros: [features]).filled(1)
        bias = Tensor(zeros: [features])
        weight.requiresGrad = true
        bias.requiresGrad = true
        runningMean = Tensor(zeros: [features])
        runningVar = Tensor(zeros: [features]).filled(1)
        numBatchesTracked = Tensor(zeros: [])
    }

    public func callAsFunction(_ x: Tensor, training: Bool, shard: BatchShard? = nil) throws -> Tensor {
        let c = weight.count
        guard x.rank == 3, x.shape[1] == c else {
            throw EngineError("batch_norm", "input \(shapeString(x.shape)) does not have \(c) channels in dimension 1")
        }
        let w = try weight.reshape([1, c, 1]), b = try bias.reshape([1, c, 1])
        if training {
            let mu: Tensor, v: Tensor, m: Int
            if let shard {
                m = shard.statisticRows * x.shape[2]
                let scale = 1 / Float(Swift.max(m, 1))
                mu = try x.sum(dims: [0, 2], keepDim: true).allReduceSum(shard.comm).affine(scale: scale)
                v = try x.sub(mu).unary(.square).sum(dims: [0, 2], keepDim: true).allReduceSum(shard.comm).affine(scale: scale)
            } else {
                mu = try x.mean(dims: [0, 2], keepDim: true)
                v = try x.variance(dims: [0, 2], keepDim: true, unbiased: false)
                m = x.shape[0] * x.shape[2]
            }
            let unbiasedScale = Float(m) / Float(Swift.max(m - 1, 1))
            for i in 0..<c {
                runningMean.data[i] = (1 - momentum) * runningMean.data[i] + momentum * mu.data[i]
                runningVar.data[i] = (1 - momentum) * runningVar.data[i] + momentum * v.data[i] * unbiasedScale
            }
            numBatchesTracked.data[0] += 1
            return try x.sub(mu).div(v.affine(scale: 1, shift: eps).sqrt()).mul(w).add(b)
        }
        let mu = try runningMean.reshape([1, c, 1])
        let sd = try runningVar.reshape([1, c, 1]).affine(scale: 1, shift: eps).sqrt()
        return try x.sub(mu).div(sd).mul(w).add(b)
    }

    func named(_ p: String) -> [(String, Tensor)] {
        [
            (p + "weight", weight), (p + "bias", bias), (p + "running_mean", runningMean),
            (p + "running_var", runningVar), (p + "num_batches_tracked", numBatchesTracked)
        ]
    }
}

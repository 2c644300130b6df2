/// One Net1D residual block (ECGFounder's `BasicBlock`, ratio 1):
/// `[BN, Swish, dropout]` → conv1 1×1 → `[BN]` Swish `[dropout]` → conv2 k, stride, groups →
/// `[BN]` Swish `[dropout]` → conv3 1×1 → squeeze-excitation, plus the shortcut (max-pooled when
/// downsampling, channel-zero-padded when widening). The very first block skips the leading
/// activation. Input `(N, in, L)` → output `(N, out, ceil(L / stride))`.
public final class Net1DBlock {
    public let inChannels: Int
    public let outChannels: Int
    public let stride: Int
    public let isFirstBlock: Bool
    public let downsample: Bool
    public let conv1: Conv1dSame
    public let conv2: Conv1dSame
    public let conv3: Conv1dSame
    public let seFC1: Linear
    public let seFC2: Linear
    public let bn: [BatchNorm1d]?
    let useDropout: Bool
    /// Probability of dropping the residual branch per sample in training (stochastic depth).
    public var dropPath: Float = 0

    init(
        inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, groups: Int, downsample: Bool,
        isFirstBlock: Bool, useBatchNorm: Bool, useDropout: Bool, rng: inout SeededRandom
    ) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.stride = stride
        self.isFirstBlock = isFirstBlock
        self.downsample = downsample
        self.useDropout = useDropout
        bn =
            useBatchNorm
            ? [
                BatchNorm1d(features: inChannels), BatchNorm1d(features: outChannels),
                BatchNorm1d(features: outChannels)
            ] : nil
        conv1 = Conv1dSame(inChannels: inChannels, outChannels: outChannels, kernelSize: 1, rng: &rng)
        conv2 = Conv1dSame(
            inChannels: outChannels, outChannels: outChannels, kernelSize: kernelSize,
            stride: stride, groups: groups, rng: &rng)
        conv3 = Conv1dSame(inChannels: outChannels, outChannels: outChannels, kernelSize: 1, rng: &rng)
        seFC1 = Linear(inFeatures: outChannels, outFeatures: outChannels / 2, rng: &rng)
        seFC2 = Linear(inFeatures: outChannels / 2, outFeatures: outChannels, rng: &rng)
    }

    func forward(_ x: Tensor, _ ctx: ForwardContext) throws -> Tensor {
        var out = x
        // The leading Swish runs inside conv1 (on its input) unless dropout comes between them.
        var swishIntoConv1 = false
        if !isFirstBlock {
            if let bn { out = try bn[0](out, training: ctx.training, shard: ctx.shard) }
            if useDropout && ctx.training {
                out = try out.swish().dropout(p: 0.5, rng: &ctx.rng, shard: ctx.shard)
            } else {
                swishIntoConv1 = true
            }
        }
        // Without batch norm, Swish runs fused into each convolution; in inference the three convolutions run on
        // the channel-major layout where they can (`ChannelMajorBlock`).
        if let fused = convolutionsChannelMajor(out, inputSwish: swishIntoConv1, ctx) {
            out = fused
        } else {
            out = try convolutions(out, inputSwish: swishIntoConv1, ctx)
        }

        // Squeeze-excitation: channel weights from the time-averaged activations.
        var se = try out.mean(dims: [2])
        se = try seFC2(seFC1(se).swish()).sigmoid()
        // Stochastic depth drops the scaled branch per sample: its per-sample factor folds into the scale.
        if ctx.training && dropPath > 0 { se = try se.dropPath(p: dropPath, rng: &ctx.rng, shard: ctx.shard) }

        var identity = x
        if downsample {
            let p = stride - 1 // SAME padding of a kernel = stride pool with stride 1 semantics
            identity = try Tensor.maxPool1d(identity, kernel: stride, stride: stride, padLeft: p / 2, padRight: p - p / 2)
        }
        // out · se + identity, the identity's channels zero-padded (half before) when widening.
        return try Tensor.scaledResidual(
            out, scale: se, residual: identity,
            channelOffset: (outChannels - inChannels) / 2)
    }

    /// conv1 → conv2 → conv3 with their batch norms, Swish and dropout, one primitive at a time.
    func convolutions(_ x: Tensor, inputSwish: Bool, _ ctx: ForwardContext) throws -> Tensor {
        var out: Tensor
        if let bn {
            out = try bn[1](conv1(x, inputSwish: inputSwish), training: ctx.training, shard: ctx.shard).swish()
        } else {
            out = try conv1(x, swish: true, inputSwish: inputSwish)
        }
        if useDropout && ctx.training { out = try out.dropout(p: 0.5, rng: &ctx.rng, shard: ctx.shard) }
        if let bn {
            out = try bn[2](conv2(out), training: ctx.training, shard: ctx.shard).swish()
        } else {
            out = try conv2(out, swish: true)
        }
        if useDropout && ctx.training { out = try out.dropout(p: 0.5, rng: &ctx.rng, shard: ctx.shard) }
        return try conv3(out)
    }

    /// The three convolutions on the channel-major layout (`ChannelMajorBlock`): the same values as `convolutions`,
    /// bit for bit, with one layout copy each way instead of two. Nil where that does not apply: batch norm or
    /// dropout between the convolutions, a backward pass that will need the intermediate results, shapes that do not
    /// batch their samples, or shapes that do not fit together (the convolutions one by one then say what is wrong).
    func convolutionsChannelMajor(_ x: Tensor, inputSwish: Bool, _ ctx: ForwardContext) -> Tensor? {
        let tensors = [x, conv1.weight, conv1.bias, conv2.weight, conv2.bias, conv3.weight, conv3.bias]
        guard bn == nil, !(useDropout && ctx.training), !Tensor.willRecord(tensors), let g1 = conv1.geometry(input: x.shape),
            let g2 = conv2.geometry(input: [g1.n, g1.cout, g1.lout]), let g3 = conv3.geometry(input: [g2.n, g2.cout, g2.lout]),
            ChannelMajorBlock.applies(g1, g2, g3), conv1.bias.shape == [g1.cout], conv2.bias.shape == [g2.cout],
            conv3.bias.shape == [g3.cout]
        else { return nil }
        let out = Tensor(zeros: [g3.n, g3.cout, g3.lout], zeroed: false)
        ChannelMajorBlock.forward(
            g1, g2, g3, x: x.data, inputSwish: inputSwish,
            weights: (conv1.weight, conv2.weight, conv3.weight),
            biases: (conv1.bias, conv2.bias, conv3.bias),
            out: out.data)
        OpProfile.mark("forward block convolutions, channel-major \(g1.cin)→\(g3.cout) L=\(g3.lout)")
        return out
    }

    func named(_ p: String) -> [(String, Tensor)] {
        var r: [(String, Tensor)] = []
        if let bn { r += bn[0].named(p + "bn1.") }
        r += conv1.named(p + "conv1.")
        if let bn { r += bn[1].named(p + "bn2.") }
        r += conv2.named(p + "conv2.")
        if let bn { r += bn[2].named(p + "bn3.") }
        r += conv3.named(p + "conv3.")
        r += seFC1.named(p + "se_fc1.") + seFC2.named(p + "se_fc2.")
        return r
    }
}

/// The three convolutions of a Net1D block without batch norm — 1×1 with Swish, k-wide grouped with Swish, 1×1 —
/// for inference, on the channel-major layout `(c, n·l)` from the first product to the last.
///
/// Called one by one, each 1×1 convolution over a short signal lays the batch out channel-major for its product and
/// copies the result back to `(n, c, l)` (`PointwiseConv`): four copies per block. Here the batch is laid out once
/// before the first product and copied back once after the last; the direct convolution in between reads and
/// writes the channel-major rows in place (its kernels take row strides). Every value is computed by the same
/// operations in the same order as by the three calls — the same products with the same splits, the same kernel
/// calls, the same Swish — so the result is the same bit for bit (`ChannelMajorBlockTests`).
enum ChannelMajorBlock {
    /// Whether the three geometries run here: both 1×1 convolutions batch their samples and are not grouped, the
    /// middle one runs on the direct kernels, and each feeds the next.
    static func applies(_ g1: ConvGeometry, _ g2: ConvGeometry, _ g3: ConvGeometry) -> Bool {
        g1.batchesSamples && g3.batchesSamples && !g2.isPointwise && g1.groups == 1 && g3.groups == 1
            && g2.n == g1.n && g2.cin == g1.cout && g2.l == g1.l && g3.n == g1.n && g3.cin == g2.cout && g3.l == g2.lout
    }

    /// `out` (n × g3.cout × g2.lout) = conv3(swish(conv2(swish(conv1(x))))), each with its bias; of `swish(x)` with
    /// `inputSwish`.
    static func forward(
        _ g1: ConvGeometry, _ g2: ConvGeometry, _ g3: ConvGeometry, x: UnsafePointer<Float>, inputSwish: Bool,
        weights: (Tensor, Tensor, Tensor), biases: (Tensor, Tensor, Tensor), out: UnsafeMutablePointer<Float>
    ) {
        precondition(applies(g1, g2, g3), "the block's convolutions do not chain on the channel-major layout")
        let cols1 = g1.n * g1.l, cols2 = g2.n * g2.lout
        let laid = g1.toChannelMajor(x, channels: g1.cin, swish: inputSwish)
        let first = UnsafeMutablePointer<Float>.allocate(capacity: g1.cout * cols1)
        WeightPackCache.product(weight: weights.0, m: g1.cout, n: cols1, k: g1.cin, x: laid, c: first)
        laid.deallocate()
        // The bias and Swish of each channel's row in place: the values `fromChannelMajor` would have copied out.
        let bias1 = biases.0.data
        Parallel.forEachChunk(g1.cout, grain: Swift.max(1, 16_384 / Swift.max(1, cols1))) { rows in
            for ch in rows {
                let row = first + ch * cols1
                SwishKernels.swish(row, adding: bias1[ch], into: row, count: cols1)
            }
        }
        let second = UnsafeMutablePointer<Float>.allocate(capacity: g2.cout * cols2)
        g2.forwardDirect(
            x: first, w: weights.1.data, bias: biases.1.data, out: second, activated: nil, channelMajor: true,
            packed: WeightPackCache.directWeights(weights.1, g2))
        first.deallocate()
        SwishKernels.swishParallel(second, into: second, count: g2.cout * cols2)
        let third = UnsafeMutablePointer<Float>.allocate(capacity: g3.cout * cols2)
        WeightPackCache.product(weight: weights.2, m: g3.cout, n: cols2, k: g3.cin, x: second, c: third)
        second.deallocate()
        g3.fromChannelMajor(third, channels: g3.cout, into: out, bias: biases.2.data)
        third.deallocate()
    }
}

import Testing
@testable import Engine

/// A Net1D block's three convolutions on the channel-major layout (`ChannelMajorBlock`, inference) against the same
/// convolutions one primitive at a time: the same values bit for bit, and the fallback wherever the layout does not
/// apply.
@Suite struct ChannelMajorBlockTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let n, cin, cout, l, stride, groups: Int
        let leadingSwish: Bool
        var testDescription: String { "n\(n) \(cin)→\(cout) L\(l) s\(stride) g\(groups) swish-in \(leadingSwish)" }
    }

    static let cases: [Case] = [
        Case(n: 3, cin: 32, cout: 48, l: 40, stride: 2, groups: 3, leadingSwish: true), // widening, downsampling
        Case(n: 2, cin: 32, cout: 32, l: 40, stride: 1, groups: 2, leadingSwish: true), // the deep stages' L = 40
        Case(n: 2, cin: 32, cout: 32, l: 8, stride: 1, groups: 2, leadingSwish: false), // short kernel, first block
        Case(n: 4, cin: 16, cout: 16, l: 5, stride: 2, groups: 1, leadingSwish: true), // 5 → 3 positions
        Case(n: 2, cin: 20, cout: 40, l: 137, stride: 1, groups: 5, leadingSwish: true) // 8 channels per group, long tile tail
    ]

    static func block(_ c: Case, seed: UInt64) -> Net1DBlock {
        var rng = SeededRandom(seed: seed)
        return Net1DBlock(
            inChannels: c.cin, outChannels: c.cout, kernelSize: 16, stride: c.stride, groups: c.groups, downsample: c.stride > 1,
            isFirstBlock: !c.leadingSwish, useBatchNorm: false, useDropout: false, rng: &rng)
    }

    @Test(arguments: cases)
    func equalsTheConvolutionsOneByOne(_ c: Case) throws {
        let b = Self.block(c, seed: 41)
        var rng = SeededRandom(seed: 42)
        let x = try Tensor.randn([c.n, c.cin, c.l], rng: &rng)
        let fused = try #require(GradMode.withoutGrad { b.convolutionsChannelMajor(x, inputSwish: c.leadingSwish, ForwardContext()) })
        let separate = try GradMode.withoutGrad { try b.convolutions(x, inputSwish: c.leadingSwish, ForwardContext()) }
        #expect(fused.shape == separate.shape)
        #expect(fused.shape == [c.n, c.cout, (c.l + c.stride - 1) / c.stride])
        let differing = zip(fused.values, separate.values).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(fused.count) values differ")
    }

    /// One sample, a long signal, a backward pass to come, batch norm or dropout, shapes that do not fit: the
    /// convolutions run one by one.
    @Test func fallsBackWhereTheLayoutDoesNotApply() throws {
        let c = Self.cases[1]
        let b = Self.block(c, seed: 7)
        var rng = SeededRandom(seed: 8)
        let one = try Tensor.randn([1, c.cin, c.l], rng: &rng), long = try Tensor.randn([2, c.cin, 600], rng: &rng)
        let batch = try Tensor.randn([2, c.cin, c.l], rng: &rng)
        #expect(GradMode.withoutGrad { b.convolutionsChannelMajor(one, inputSwish: true, ForwardContext()) } == nil)
        #expect(GradMode.withoutGrad { b.convolutionsChannelMajor(long, inputSwish: true, ForwardContext()) } == nil)
        #expect(b.convolutionsChannelMajor(batch, inputSwish: true, ForwardContext()) == nil) // the weights require gradients
        #expect(GradMode.withoutGrad { b.convolutionsChannelMajor(batch, inputSwish: true, ForwardContext()) } != nil)
        let wrong = try Tensor.randn([2, c.cin + 1, c.l], rng: &rng)
        #expect(GradMode.withoutGrad { b.convolutionsChannelMajor(wrong, inputSwish: true, ForwardContext()) } == nil)
        // Batch norm, or dropout in training, between the convolutions.
        var r = SeededRandom(seed: 9)
        for (norm, dropout) in [(true, false), (false, true)] {
            let other = Net1DBlock(
                inChannels: c.cin, outChannels: c.cout, kernelSize: 16, stride: 1, groups: c.groups, downsample: false,
                isFirstBlock: false, useBatchNorm: norm, useDropout: dropout, rng: &r)
            #expect(GradMode.withoutGrad { other.convolutionsChannelMajor(batch, inputSwish: true, ForwardContext(training: true)) } == nil)
        }
        // A bias that does not fit (a user's assignment): not read past its end; the one-by-one path reports it.
        b.conv2.bias = Tensor(zeros: [c.cout - 1])
        #expect(GradMode.withoutGrad { b.convolutionsChannelMajor(batch, inputSwish: true, ForwardContext()) } == nil)
        #expect(throws: EngineError.self) { try GradMode.withoutGrad { try b.convolutions(batch, inputSwish: true, ForwardContext()) } }
    }
}

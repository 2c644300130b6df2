import Testing
@testable import Engine

/// `backward()` adds gradients in place and keeps a leaf's gradient without copying when nothing else
/// refers to it. These check that it never writes into memory someone else can see: the caller's seed
/// gradient, a tensor a backward function passes through unchanged, or another leaf's gradient.
@Suite struct GradientOwnershipTests {
    @Test func seedGradientIsNotWrittenInto() throws {
        let x = Tensor([1, 2, 3], shape: [3])
        x.requiresGrad = true
        let seed = Tensor([1, 1, 1], shape: [3])
        // y = x + x: both paths pass the seed through, so its sum must go into new memory.
        try x.add(x).backward(seed)
        #expect(seed.values == [1, 1, 1])
        #expect(x.grad!.values == [2, 2, 2])
        try x.add(x).backward(seed) // accumulates into the existing gradient
        #expect(seed.values == [1, 1, 1])
        #expect(x.grad!.values == [4, 4, 4])
    }

    @Test func leavesSharingOneGradientGetTheirOwn() throws {
        let a = Tensor([1, 2], shape: [2]), b = Tensor([3, 4], shape: [2])
        a.requiresGrad = true
        b.requiresGrad = true
        let seed = Tensor([5, 6], shape: [2])
        try a.add(b).backward(seed) // add passes the same gradient to both inputs
        #expect(a.grad!.values == [5, 6])
        #expect(b.grad!.values == [5, 6])
        a.grad!.data[0] = 100
        #expect(b.grad!.values == [5, 6])
        #expect(seed.values == [5, 6])
    }

    @Test func viewGradientsAreCopiedIntoLeaves() throws {
        let x = Tensor([1, 2, 3, 4], shape: [2, 2])
        x.requiresGrad = true
        let seed = Tensor([1, 2, 3, 4], shape: [4])
        try x.reshape([4]).backward(seed) // reshape's backward returns a view of the seed
        #expect(x.grad!.values == [1, 2, 3, 4])
        x.grad!.data[0] = 9
        #expect(seed.values == [1, 2, 3, 4])
    }

    @Test func reusedActivationSumsBothPaths() throws {
        var rng = SeededRandom(seed: 5)
        let x = try Tensor.randn([2, 3, 8], rng: &rng)
        // x reaches the loss through a Swish and through a mean (the squeeze-excitation shape of Net1D),
        // whose gradients are added in place.
        #expect(try gradientCheck([x]) { try $0[0].swish().mul($0[0].mean(dims: [2], keepDim: true)).sum() } <= 2e-2)
    }
}

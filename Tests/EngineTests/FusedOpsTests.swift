import Testing
@testable import Engine

/// Fused and fast-path primitives against the separate operations they replace.
@Suite struct FusedOpsTests {
    @Test func scaledResidualEqualsMulPadAdd() throws {
        var rng = SeededRandom(seed: 21)
        let x = try Tensor.randn([3, 10, 7], rng: &rng), se = try Tensor.randn([3, 10], rng: &rng)
        let r = try Tensor.randn([3, 4, 7], rng: &rng), g = try Tensor.randn([3, 10, 7], rng: &rng)
        func run(fused: Bool) throws -> [[Float]] {
            let (xi, si, ri) = (x.clone(), se.clone(), r.clone())
            for t in [xi, si, ri] { t.requiresGrad = true }
            let y =
                fused
                ? try Tensor.scaledResidual(xi, scale: si, residual: ri, channelOffset: 3)
                : try xi.mul(si.reshape([3, 10, 1])).add(ri.pad(dim: 1, before: 3, after: 3))
            try y.mul(g).sum().backward()
            return [y.values, xi.grad!.values, si.grad!.values, ri.grad!.values]
        }
        let fused = try run(fused: true), separate = try run(fused: false)
        #expect(fused[0] == separate[0])
        #expect(fused[1] == separate[1])
        #expect(fused[3] == separate[3])
        #expect(zip(fused[2], separate[2]).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
        #expect(throws: EngineError.self) { try Tensor.scaledResidual(x, scale: se, residual: r, channelOffset: 7) }
        #expect(throws: EngineError.self) { try Tensor.scaledResidual(x, scale: r, residual: r, channelOffset: 0) }
    }

    /// The inference path of 2-wide max pooling (no argmax, vectorised interior) gives the values of
    /// the general path used with gradients, NaN and padding included.
    @Test(arguments: [(2, 0, 1), (2, 1, 0), (2, 1, 1), (3, 1, 1)])
    func maxPoolInferenceEqualsTrainingPath(_ geometry: (Int, Int, Int)) throws {
        let (stride, padLeft, padRight) = geometry
        var rng = SeededRandom(seed: 22)
        let x = try Tensor.randn([2, 3, 11], rng: &rng)
        x.data[3] = .nan; x.data[20] = -.infinity; x.data[21] = -.infinity
        let inference = try GradMode.withoutGrad {
            try Tensor.maxPool1d(x, kernel: 2, stride: stride, padLeft: padLeft, padRight: padRight)
        }
        let xg = x.clone(); xg.requiresGrad = true
        let training = try Tensor.maxPool1d(xg, kernel: 2, stride: stride, padLeft: padLeft, padRight: padRight)
        #expect(inference.shape == training.shape)
        #expect(zip(inference.values, training.values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(inference.values.contains { $0.isNaN })
    }
}

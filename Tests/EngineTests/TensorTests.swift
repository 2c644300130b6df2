import Testing
@testable import Engine

@Suite struct TensorTests {
    @Test func broadcastingFollowsNumPy() throws {
        let a = Tensor([1, 2, 3], shape: [3, 1])
        let b = Tensor([10, 20], shape: [2])
        let c = try a.add(b)
        #expect(c.shape == [3, 2])
        #expect(c.values == [11, 21, 12, 22, 13, 23])
        #expect(try a.mul(Tensor(scalar: 2)).values == [2, 4, 6])
    }

    /// Shape errors name the op and both facts.
    @Test func shapeErrorsAreTables() throws {
        let cases: [(() throws -> Tensor, EngineError)] = [
            (
                { try Tensor.matmul(Tensor(zeros: [2, 5]), Tensor(zeros: [3, 5])) },
                EngineError("matmul", "shapes [2, 5] and [3, 5] cannot be multiplied (5 ≠ 3)")
            ),
            (
                { try Tensor(zeros: [2, 3]).add(Tensor(zeros: [4])) },
                EngineError("add", "shapes [2, 3] and [4] cannot be broadcast (dimension 1: 3 ≠ 4)")
            ),
            (
                { try Tensor(zeros: [2, 3]).reshape([4, 2]) },
                EngineError("reshape", "shape [4, 2] is invalid for input of size 6 (shape [2, 3])")
            ),
            (
                { try Tensor(zeros: [2, 3]).sum(dims: [2]) },
                EngineError("sum", "dimension 2 is out of range for a tensor of rank 2")
            ),
            (
                { try Tensor.conv1d(Tensor(zeros: [1, 4, 10]), weight: Tensor(zeros: [8, 3, 3]), bias: nil) },
                EngineError("conv1d", "weight [8, 3, 3] expects 3 input channels for groups = 1, but input [1, 4, 10] has 4")
            ),
            (
                { try Tensor.conv1d(Tensor(zeros: [4, 10]), weight: Tensor(zeros: [8, 4, 3]), bias: nil) },
                EngineError("conv1d", "input must be (N, C, L); got shape [4, 10]")
            ),
            ({ try Tensor.zeros([3, -1]) }, EngineError("zeros", "negative dimension -1 in shape [3, -1]")),
            ({ try Tensor(zeros: [3]).indexSelect([3]) }, EngineError("index", "index 3 is out of range for dimension 0 of size 3")),
            (
                { try Tensor.bceWithLogits(Tensor(zeros: [2, 3]), targets: Tensor(zeros: [3, 2])) },
                EngineError("bce_with_logits", "logits [2, 3] and targets [3, 2] differ in shape")
            )
        ]
        for (op, expected) in cases {
            #expect(throws: expected) { _ = try op() }
        }
        // Allocations beyond the available memory fail with a message, before allocating.
        #expect { try Tensor.zeros([1 << 20, 1 << 20]) } throws: { e in
            "\(e)".hasPrefix("zeros: a tensor of shape [1048576, 1048576] needs 4.0 TiB but only ")
                && "\(e)".hasSuffix("of memory is available")
        }
        #expect { try Tensor(zeros: [1 << 16, 1]).mul(Tensor(zeros: [1, 1 << 24])) } throws: { e in "\(e)".contains("needs 4.0 TiB") }
        #expect(throws: EngineError("zeros", "shape [4294967296, 4294967296, 4] has more elements than can be addressed")) {
            try Tensor.zeros([1 << 32, 1 << 32, 4])
        }
    }

    @Test func layoutOps() throws {
        let x = try Tensor.arange(0, 24).reshape([2, 3, 4])
        #expect(try x.reshape([-1, 4]).shape == [6, 4])
        #expect(try x.permute([2, 0, 1]).values.prefix(4) == [0, 4, 8, 12])
        #expect(try x.slice(dim: 2, start: -2, end: 100).values.prefix(4) == [2, 3, 6, 7])
        #expect(try x.slice(dim: 1, start: 0, end: 3, step: 2).shape == [2, 2, 4])
        #expect(try Tensor.concat([x, x], dim: 1).shape == [2, 6, 4])
        #expect(try x.pad(dim: 2, before: 1, after: 2).values.prefix(8) == [0, 0, 1, 2, 3, 0, 0, 0])
        #expect(try x.sum(dims: [0, 2]).values == [60, 92, 124])
        #expect(try x.mean().item() == 11.5)
        #expect(try x.extreme(dim: 1).values == [8, 9, 10, 11, 20, 21, 22, 23])
        #expect(try Tensor.linspace(0, 1, count: 5).values == [0, 0.25, 0.5, 0.75, 1])
        #expect(try Tensor(zeros: [2, 3]).t().shape == [3, 2])
    }

    @Test func samePaddingMatchesEcgFounder() {
        #expect(Tensor.samePadding(length: 5000, kernel: 16, stride: 2) == (7, 7))
        #expect(Tensor.samePadding(length: 777, kernel: 16, stride: 2) == (7, 8))
        #expect(Tensor.samePadding(length: 10, kernel: 1, stride: 1) == (0, 0))
    }

    @Test func seededRandomnessIsDeterministic() throws {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42)
        #expect(try Tensor.randn([100], rng: &a).values == Tensor.randn([100], rng: &b).values)
        var c = SeededRandom(seed: 1)
        let big = try Tensor.randn([100_000], rng: &c)
        let mean = try big.mean().item()
        let variance = try big.variance(dims: [0], unbiased: true).item()
        #expect(abs(mean) < 0.02 && abs(variance - 1) < 0.02)
    }

    @Test func schedules() {
        let cos = LRSchedule.cosine(total: 110, minFactor: 0)
        #expect(cos.factor(step: 0, warmup: 10) == 1.0 / 11)
        #expect(cos.factor(step: 10, warmup: 10) == 1)
        #expect(abs(cos.factor(step: 60, warmup: 10) - 0.5) < 1e-6)
        #expect(abs(cos.factor(step: 110, warmup: 10)) < 1e-6)
        #expect(LRSchedule.step(every: 10, gamma: 0.5).factor(step: 25, warmup: 0) == 0.25)
        var plateau = ReduceOnPlateau(factor: 0.5, patience: 1)
        #expect(plateau.observe(0.8) == 1)
        #expect(plateau.observe(0.7) == 1)
        #expect(plateau.observe(0.7) == 0.5)
    }
}

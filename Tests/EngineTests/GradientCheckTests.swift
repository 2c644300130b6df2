import Testing
@testable import Engine

/// Finite-difference checks for every differentiable primitive (central differences, Float32;
/// tolerance 2e-2 relative, set by Float32 rounding at eps = 1e-2).
@Suite struct GradientCheckTests {
    static func sample(_ shape: [Int], seed: UInt64, positive: Bool = false) -> Tensor {
        var rng = SeededRandom(seed: seed)
        let t = try! Tensor.randn(shape, rng: &rng)
        return positive ? t.map { abs($0) + 0.5 } : t
    }

    static let tol: Float = 2e-2

    /// The list of primitives is closed: each one is what some operation records, under its own name.
    @Test func everyPrimitiveIsRecordedUnderItsName() throws {
        func leaf(_ shape: [Int], seed: UInt64 = 1) -> Tensor { let t = Self.sample(shape, seed: seed); t.requiresGrad = true; return t }
        let x = leaf([2, 3, 8]), m = leaf([3, 3]), w = leaf([4, 3, 3]), v = leaf([2, 3])
        var made: [(Primitive, Tensor)] = UnaryOp.allCases.map { (.unary($0), v.unary($0)) }
        made += try BinaryOp.allCases.map { (.binary($0), try Tensor.binary(v, v, $0)) }
        made += [
            (.pow, v.pow(3)), (.affine, v.affine(scale: 2, shift: 1)), (.sum, try v.sum()),
            (.max, try v.extreme(dim: 1, largest: true)), (.min, try v.extreme(dim: 1, largest: false)),
            (.logSoftmax, try v.logSoftmax(dim: 1)), (.matmul, try Tensor.matmul(v, m)),
            (.linear, try Tensor.linear(v, weight: m, bias: nil)),
            (.conv1d, try Tensor.conv1d(x, weight: w, bias: nil)), (.conv1dSwish, try Tensor.conv1d(x, weight: w, bias: nil, swish: true)),
            (.maxPool1d, try Tensor.maxPool1d(x, kernel: 2, stride: 2)), (.reshape, try v.reshape([3, 2])),
            (.permute, try x.permute([2, 0, 1])), (.expand, try leaf([1, 3]).expand([2, 3])),
            (.slice, try v.slice(dim: 1, start: 0, end: 2)),
            (.pad, try v.pad(dim: 1, before: 1, after: 1)), (.concat, try Tensor.concat([v, v], dim: 0)),
            (.indexSelect, try v.indexSelect([1, 0])),
            (.bceWithLogits, try Tensor.bceWithLogits(v, targets: Tensor(zeros: [2, 3]))),
            (.nllLoss, try Tensor.nllLoss(try v.logSoftmax(dim: 1), targets: [0, 2])),
            (.scaledResidual, try Tensor.scaledResidual(x, scale: leaf([2, 3]), residual: leaf([2, 3, 8]), channelOffset: 0)),
            (.allReduce, try v.allReduceSum(.single))
        ]
        for (p, t) in made { #expect(t.gradFunction == p, "\(p) recorded as \(String(describing: t.gradFunction))") }
        #expect(Set(made.map(\.0)) == Set(Primitive.allCases))
        #expect(Set(Primitive.allCases.map(\.description)).count == Primitive.allCases.count)
        #expect(try GradMode.withoutGrad { try Tensor.matmul(v, m) }.gradFunction == nil && v.gradFunction == nil)
    }

    @Test(arguments: [BinaryOp.add, .sub, .mul, .div])
    func broadcastBinary(_ op: BinaryOp) throws {
        let a = Self.sample([2, 3, 4], seed: 1), b = Self.sample([3, 1], seed: 2, positive: true)
        let err = try gradientCheck([a, b]) { try Tensor.binary($0[0], $0[1], op).sum() }
        #expect(err <= Self.tol)
    }

    @Test(arguments: UnaryOp.allCases)
    func unary(_ op: UnaryOp) throws {
        let positive = op == .log || op == .sqrt
        var x = Self.sample([7], seed: 3, positive: positive)
        if op == .abs || op == .relu { x = x.map { $0 + ($0 >= 0 ? 0.1 : -0.1) } } // away from the kink
        let w = Self.sample([7], seed: 4)
        let err = try gradientCheck([x]) { try $0[0].unary(op).mul(w).sum() }
        #expect(err <= Self.tol)
    }

    @Test func powAndAffine() throws {
        let x = Self.sample([5], seed: 5, positive: true)
        #expect(try gradientCheck([x]) { try $0[0].pow(2.5).affine(scale: -1.5, shift: 2).sum() } <= Self.tol)
    }

    @Test func reductions() throws {
        let x = Self.sample([3, 4, 5], seed: 6), w = Self.sample([3, 5], seed: 7)
        #expect(try gradientCheck([x]) { try $0[0].sum(dims: [1]).mul(w).sum() } <= Self.tol)
        #expect(try gradientCheck([x]) { try $0[0].mean(dims: [0, 2]).mul(Self.sample([4], seed: 8)).sum() } <= Self.tol)
        #expect(try gradientCheck([x]) { try $0[0].extreme(dim: 2).mul(Self.sample([3, 4], seed: 34)).sum() } <= Self.tol)
        #expect(try gradientCheck([x]) { try $0[0].extreme(dim: 1, largest: false).mul(w).sum() } <= Self.tol)
        #expect(try gradientCheck([x]) { try $0[0].logSoftmax(dim: 1).mul(Self.sample([3, 4, 5], seed: 9)).sum() } <= Self.tol)
    }

    @Test func layout() throws {
        let x = Self.sample([2, 3, 4], seed: 10)
        let w = Self.sample([4, 2, 3], seed: 11)
        #expect(try gradientCheck([x]) { try $0[0].permute([2, 0, 1]).mul(w).sum() } <= Self.tol)
        #expect(try gradientCheck([x]) { try $0[0].reshape([4, 6]).mul(w.reshape([4, 6])).sum() } <= Self.tol)
        #expect(
            try gradientCheck([x]) { try $0[0].slice(dim: 2, start: 1, end: 4, step: 2).mul(Self.sample([2, 3, 2], seed: 12)).sum() }
                <= Self.tol)
        #expect(
            try gradientCheck([x]) { try $0[0].pad(dim: 1, before: 2, after: 1, value: 3).mul(Self.sample([2, 6, 4], seed: 13)).sum() }
                <= Self.tol)
        #expect(try gradientCheck([x]) { try $0[0].expand([5, 2, 3, 4]).mul(Self.sample([5, 2, 3, 4], seed: 14)).sum() } <= Self.tol)
        #expect(try gradientCheck([x]) { try $0[0].indexSelect([1, 0, 1]).mul(Self.sample([3, 3, 4], seed: 15)).sum() } <= Self.tol)
        let y = Self.sample([2, 2, 4], seed: 16)
        #expect(
            try gradientCheck([x, y]) { try Tensor.concat([$0[0], $0[1]], dim: 1).mul(Self.sample([2, 5, 4], seed: 17)).sum() } <= Self.tol)
    }

    @Test func matmulAndLinear() throws {
        let a = Self.sample([2, 3, 4], seed: 18), b = Self.sample([4, 5], seed: 19), bb = Self.sample([2, 4, 5], seed: 20)
        #expect(try gradientCheck([a, b]) { try Tensor.matmul($0[0], $0[1]).mul(Self.sample([2, 3, 5], seed: 21)).sum() } <= Self.tol)
        #expect(try gradientCheck([a, bb]) { try Tensor.matmul($0[0], $0[1]).mul(Self.sample([2, 3, 5], seed: 22)).sum() } <= Self.tol)
        let x = Self.sample([3, 4], seed: 23), w = Self.sample([6, 4], seed: 24), bias = Self.sample([6], seed: 25)
        #expect(
            try gradientCheck([x, w, bias]) {
                try Tensor.linear($0[0], weight: $0[1], bias: $0[2]).mul(Self.sample([3, 6], seed: 26)).sum()
            } <= Self.tol)
    }

    @Test(arguments: [(1, 0, 0, 1), (2, 3, 4, 2), (3, 1, 2, 1), (1, 7, 8, 4)])
    func conv1d(_ c: (Int, Int, Int, Int)) throws {
        let (stride, pl, pr, groups) = c
        let x = Self.sample([2, 4, 13], seed: 27), w = Self.sample([8, 4 / groups, 3], seed: 28), b = Self.sample([8], seed: 29)
        let lout = (13 + pl + pr - 3) / stride + 1
        let g = Self.sample([2, 8, lout], seed: 30)
        let err = try gradientCheck([x, w, b]) {
            try Tensor.conv1d($0[0], weight: $0[1], bias: $0[2], stride: stride, padLeft: pl, padRight: pr, groups: groups).mul(g).sum()
        }
        #expect(err <= Self.tol)
    }

    @Test func maxPoolAndLosses() throws {
        let x = Self.sample([2, 3, 9], seed: 31)
        let g = Self.sample([2, 3, 5], seed: 32)
        #expect(
            try gradientCheck([x]) { try Tensor.maxPool1d($0[0], kernel: 2, stride: 2, padLeft: 0, padRight: 1).mul(g).sum() } <= Self.tol)
        let logits = Self.sample([4, 3], seed: 33)
        let targets = Tensor([1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1], shape: [4, 3])
        let pw = Tensor([2, 0.5, 1], shape: [3])
        #expect(try gradientCheck([logits]) { try Tensor.bceWithLogits($0[0], targets: targets, posWeight: pw) } <= Self.tol)
        #expect(try gradientCheck([logits]) { try Tensor.crossEntropy($0[0], targets: [0, 2, 1, 2]) } <= Self.tol)
    }

    @Test func gradientsAccumulateAcrossBackwardCalls() throws {
        let x = Tensor([1, 2, 3], shape: [3])
        x.requiresGrad = true
        try x.mul(x).sum().backward()
        try x.mul(x).sum().backward()
        #expect(x.grad?.values == [4, 8, 12])
        x.zeroGrad()
        #expect(x.grad == nil)
    }

    @Test func noGradModeRecordsNothing() throws {
        let x = Tensor([1, 2], shape: [2])
        x.requiresGrad = true
        let y = GradMode.withoutGrad { x.exp() }
        #expect(!y.requiresGrad)
        #expect(throws: EngineError("backward", "tensor does not require grad and has no grad_fn")) { try y.sum().backward() }
    }

    /// A graph that never reaches backward() is freed with its result: no closure keeps the tensor
    /// that owns it alive (a forward pass with gradients on, then the result dropped).
    @Test func unusedGraphsAreFreed() throws {
        weak var unaryOut: Tensor?, softmaxOut: Tensor?, logits: Tensor?
        try {
            var rng = SeededRandom(seed: 4)
            let x = try Tensor.randn([4, 5], rng: &rng)
            x.requiresGrad = true
            let u = x.unary(.exp), ls = try x.logSoftmax(dim: 1)
            #expect(u.gradFn != nil && ls.gradFn != nil)
            unaryOut = u
            softmaxOut = ls
            let model = try Net1D(Net1DConfig.preset("tiny", classes: 3), seed: 1)
            let l = try model.forward(try Tensor.randn([2, 12, 200], rng: &rng))
            #expect(l.gradFn != nil)
            logits = l
        }()
        #expect(unaryOut == nil && softmaxOut == nil && logits == nil)
    }
}

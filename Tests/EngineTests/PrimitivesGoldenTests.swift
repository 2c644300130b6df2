import Testing
@testable import Engine

/// Op-level comparisons with PyTorch (`primitives.ref.safetensors`, scripts/make_reference.py).
@Suite struct PrimitivesGoldenTests {
    let ref: [String: Tensor]
    init() throws { ref = try Fixtures.reference("primitives.ref.safetensors") }

    func r(_ k: String) throws -> Tensor { try #require(ref[k], "missing reference \(k)") }

    @Test func groupedStridedPaddedConv1d() throws {
        let x = try r("conv.x").clone(), w = try r("conv.w").clone(), b = try r("conv.b").clone()
        for t in [x, w, b] { t.requiresGrad = true }
        let y = try Tensor.conv1d(x, weight: w, bias: b, stride: 3, padLeft: 1, padRight: 3, groups: 3)
        #expect(relativeError(y, try r("conv.y")) <= 1e-5)
        try y.backward(try r("conv.g"))
        #expect(relativeError(try #require(x.grad), try r("conv.dx")) <= 1e-5)
        #expect(relativeError(try #require(w.grad), try r("conv.dw")) <= 1e-5)
        #expect(relativeError(try #require(b.grad), try r("conv.db")) <= 1e-5)
    }

    @Test func paddedMaxPool() throws {
        let x = try r("pool.x").clone()
        x.requiresGrad = true
        let y = try Tensor.maxPool1d(x, kernel: 3, stride: 2, padLeft: 1, padRight: 1)
        #expect(relativeError(y, try r("pool.y")) == 0)
        try y.backward(try r("pool.g"))
        #expect(relativeError(try #require(x.grad), try r("pool.dx")) <= 1e-6)
    }

    @Test func bceWithPosWeight() throws {
        let x = try r("bce.logits").clone()
        x.requiresGrad = true
        let loss = try Tensor.bceWithLogits(x, targets: try r("bce.targets"), posWeight: try r("bce.pos_weight"))
        #expect(abs(try loss.item() - (try r("bce.loss")).data[0]) <= 1e-6)
        try loss.backward()
        #expect(relativeError(try #require(x.grad), try r("bce.dlogits")) <= 1e-5)
    }

    @Test func crossEntropy() throws {
        let x = try r("ce.logits").clone()
        x.requiresGrad = true
        let targets = try r("ce.targets").values.map { Int($0) }
        let loss = try Tensor.crossEntropy(x, targets: targets)
        #expect(abs(try loss.item() - (try r("ce.loss")).data[0]) <= 1e-6)
        try loss.backward()
        #expect(relativeError(try #require(x.grad), try r("ce.dlogits")) <= 1e-5)
    }

    @Test(arguments: ["sgd", "adam", "adamw"])
    func optimiserStepsMatchTorchOptim(_ name: String) throws {
        let p = try r("\(name).p0").clone()
        p.requiresGrad = true
        let opt: Optimizer
        switch name {
        case "sgd": opt = try .sgd([p], lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01)
        case "adam": opt = try .adam([p], lr: 0.01, weightDecay: 0.1)
        default: opt = try .adamW([p], lr: 0.01, weightDecay: 0.1)
        }
        for i in 0..<3 {
            p.grad = try r("\(name).g\(i)").clone()
            opt.step()
        }
        #expect(relativeError(p, try r("\(name).p3")) <= 2e-6)
    }
}

/// Element-wise, reduction and layout primitives against PyTorch: output and input gradient for a
/// fixed upstream gradient (`ops.*` in primitives.ref.safetensors), tolerance 1e-5 relative.
@Suite struct OpsGoldenTests {
    static let names = [
        "add", "sub", "mul", "div", "neg", "exp", "log", "sqrt", "abs", "sigmoid", "swish", "relu",
        "tanh", "square", "pow", "affine", "sum1", "mean02", "max2", "min1", "log_softmax1", "softmax2",
        "permute", "slice", "pad", "concat", "expand", "index_select", "matmul"
    ]

    static func apply(_ name: String, _ x: Tensor, _ y: Tensor) throws -> Tensor {
        func shifted(_ t: Tensor) -> Tensor { t.abs().affine(scale: 1, shift: 0.5) }
        switch name {
        case "add": return try x.add(y)
        case "sub": return try x.sub(y)
        case "mul": return try x.mul(y)
        case "div": return try x.div(shifted(y))
        case "neg": return x.neg()
        case "exp": return x.exp()
        case "log": return shifted(x).log()
        case "sqrt": return shifted(x).sqrt()
        case "abs": return x.abs()
        case "sigmoid": return x.sigmoid()
        case "swish": return x.swish()
        case "relu": return x.relu()
        case "tanh": return x.tanh()
        case "square": return x.unary(.square)
        case "pow": return shifted(x).pow(2.5)
        case "affine": return x.affine(scale: -1.5, shift: 2)
        case "sum1": return try x.sum(dims: [1])
        case "mean02": return try x.mean(dims: [0, 2])
        case "max2": return try x.extreme(dim: 2)
        case "min1": return try x.extreme(dim: 1, largest: false)
        case "log_softmax1": return try x.logSoftmax(dim: 1)
        case "softmax2": return try x.softmax(dim: 2)
        case "permute": return try x.permute([2, 0, 1])
        case "slice": return try x.slice(dim: 2, start: 1, end: 4, step: 2)
        case "pad": return try x.pad(dim: 1, before: 2, after: 1, value: 3)
        case "concat": return try Tensor.concat([x, x.affine(scale: 2)], dim: 1)
        case "expand": return try x.expand([5, 2, 3, 4])
        case "index_select": return try x.indexSelect([1, 0, 1])
        default: return try x.matmul(Tensor.full([4, 5], 0.5))
        }
    }

    @Test(arguments: names)
    func opMatchesPyTorch(_ name: String) throws {
        let ref = try Fixtures.reference("primitives.ref.safetensors")
        func r(_ k: String) throws -> Tensor { try #require(ref[k], "missing reference \(k)") }
        let x = try r("ops.x").clone()
        x.requiresGrad = true
        let out = try Self.apply(name, x, try r("ops.y"))
        let expected = try r("ops.\(name).out")
        #expect(out.shape == expected.shape)
        #expect(relativeError(out, expected) <= 1e-5)
        try out.backward(try r("ops.\(name).g"))
        #expect(relativeError(try #require(x.grad), try r("ops.\(name).dx")) <= 1e-5)
    }
}

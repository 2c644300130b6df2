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

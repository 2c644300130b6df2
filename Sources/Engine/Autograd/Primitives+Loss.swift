import Foundation

/// Loss primitives with fused, numerically stable forward and backward.
extension Tensor {
    /// Mean binary cross-entropy on logits (PyTorch's `BCEWithLogitsLoss`, reduction "mean").
    /// `posWeight` (one per class, the last dimension) weighs positive examples.
    public static func bceWithLogits(_ logits: Tensor, targets: Tensor, posWeight: Tensor? = nil) throws -> Tensor {
        guard logits.shape == targets.shape else {
            throw EngineError(
                "bce_with_logits", "logits \(shapeString(logits.shape)) and targets \(shapeString(targets.shape)) differ in shape")
        }
        let classes = logits.shape.last ?? 1
        if let pw = posWeight, pw.count != classes {
            throw EngineError("bce_with_logits", "pos_weight has \(pw.count) values but there are \(classes) classes")
        }
        let n = logits.count
        let x = logits.data, y = targets.data, pw = posWeight?.data
        var total: Double = 0
        for i in 0..<n {
            let lw: Float = pw.map { ($0[i % classes] - 1) * y[i] + 1 } ?? 1
            let v = x[i]
            total += Double((1 - y[i]) * v + lw * (Foundation.log1p(Foundation.exp(-Swift.abs(v))) + Swift.max(-v, 0)))
        }
        let out = Tensor(scalar: n == 0 ? .nan : Float(total / Double(n)))
        return record(out, op: .bceWithLogits, inputs: [logits]) { g, _ in
            // the closure holds the tensors, not just their buffers: targets may be gone by backward()
            let x = logits.data, y = targets.data, pw = posWeight?.data
            let scale = g.data[0] / Float(n)
            let gi = Tensor(zeros: logits.shape, zeroed: false)
            let d = gi.data
            for i in 0..<n {
                let lw: Float = pw.map { ($0[i % classes] - 1) * y[i] + 1 } ?? 1
                let sNeg = 1 / (1 + Foundation.exp(x[i])) // sigmoid(-x)
                d[i] = scale * ((1 - y[i]) - lw * sNeg)
            }
            return [gi]
        }
    }

    /// Mean negative log-likelihood of `targets` (class indices) under log-probabilities `(N, C)`.
    public static func nllLoss(_ logProbs: Tensor, targets: [Int]) throws -> Tensor {
        guard logProbs.rank == 2, logProbs.shape[0] == targets.count else {
            throw EngineError(
                "nll_loss", "log-probabilities \(shapeString(logProbs.shape)) need one target per row (\(targets.count) given)")
        }
        let c = logProbs.shape[1]
        for t in targets where t < 0 || t >= c {
            throw EngineError("nll_loss", "target \(t) is out of range for \(c) classes")
        }
        var total: Float = 0
        for (r, t) in targets.enumerated() { total -= logProbs.data[r * c + t] }
        let n = Float(targets.count)
        let out = Tensor(scalar: total / n)
        return record(out, op: .nllLoss, inputs: [logProbs]) { g, _ in
            let gi = Tensor(zeros: logProbs.shape)
            for (r, t) in targets.enumerated() { gi.data[r * c + t] = -g.data[0] / n }
            return [gi]
        }
    }

    /// Cross-entropy on logits `(N, C)` with class-index targets, composed as log-softmax + NLL.
    public static func crossEntropy(_ logits: Tensor, targets: [Int]) throws -> Tensor {
        try nllLoss(logits.logSoftmax(dim: 1), targets: targets)
    }
}

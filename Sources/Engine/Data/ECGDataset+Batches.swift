/// Mini-batches for training and evaluation, gathered from the shared storage without copying the set.
extension ECGDataset {
    /// Positions `0..<count` in batches of `size`: shuffled by `seed` when given, in order otherwise.
    public func batchPositions(size: Int, seed: UInt64? = nil, dropLast: Bool = false) throws -> [[Int]] {
        try Self.batches(count: count, size: size, seed: seed, dropLast: dropLast)
    }

    /// `0..<count` in batches of `size`, Fisher–Yates shuffled by `seed` when given.
    public static func batches(count: Int, size: Int, seed: UInt64?, dropLast: Bool = false) throws -> [[Int]] {
        guard size > 0 else { throw EngineError("batches", "batch size must be positive, got \(size)") }
        var order = Array(0..<count)
        if let seed {
            var rng = SeededRandom(seed: seed)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        }
        return stride(from: 0, to: count, by: size).compactMap { start in
            let end = min(start + size, count)
            return dropLast && end - start < size ? nil : Array(order[start..<end])
        }
    }

    /// The inputs `(B, leads, L)` (standardised, NaN → 0) and targets `(B, classes)` of the records at
    /// `positions`. With `crop`, each input is a window of `crop` samples: random (seeded by `rng`) when
    /// training, centred otherwise.
    public func batch(_ positions: [Int], crop: Int? = nil, rng: inout SeededRandom?) throws -> (x: Tensor, y: Tensor) {
        let L = length, C = leads.count, K = classes.count
        let w = crop ?? L
        guard w > 0 && w <= L else { throw EngineError("batch", "crop of \(w) samples does not fit records of \(L) samples") }
        let x = Tensor(zeros: [positions.count, C, w], zeroed: false)
        let y = Tensor(zeros: [positions.count, K], zeroed: false)
        let (mean, std) = standardization ?? (0, 1)
        let inv = 1 / std
        for (b, p) in positions.enumerated() {
            guard p >= 0 && p < indices.count else {
                throw EngineError("batch", "position \(p) is out of range for \(indices.count) records")
            }
            let r = indices[p]
            var start = (L - w) / 2
            if w < L, var g = rng { start = Int(g.next() % UInt64(L - w + 1)); rng = g }
            for c in 0..<C {
                let src = signals.data + (r * C + c) * L + start
                let dst = x.data + (b * C + c) * w
                for j in 0..<w {
                    let v = src[j]
                    dst[j] = v.isFinite ? (v - mean) * inv : 0
                }
            }
            (y.data + b * K).update(from: targets.data + r * K, count: K)
        }
        return (x, y)
    }

    /// Every record of this view as one input tensor (for prediction), in order.
    public func allInputs(crop: Int? = nil) throws -> Tensor {
        var none: SeededRandom? = nil
        return try batch(Array(0..<count), crop: crop, rng: &none).x
    }

    /// Targets of this view, `(count, classes)`.
    public func allTargets() -> Tensor {
        let K = classes.count
        let y = Tensor(zeros: [count, K], zeroed: false)
        for (b, r) in indices.enumerated() { (y.data + b * K).update(from: targets.data + r * K, count: K) }
        return y
    }
}

import Foundation

/// Named operations composed from the primitives (the API the DSL and the models use).
extension Tensor {
    public func add(_ o: Tensor) throws -> Tensor { try Tensor.binary(self, o, .add) }
    public func sub(_ o: Tensor) throws -> Tensor { try Tensor.binary(self, o, .sub) }
    public func mul(_ o: Tensor) throws -> Tensor { try Tensor.binary(self, o, .mul) }
    public func div(_ o: Tensor) throws -> Tensor { try Tensor.binary(self, o, .div) }
    public func matmul(_ o: Tensor) throws -> Tensor { try Tensor.matmul(self, o) }

    public func exp() -> Tensor { unary(.exp) }
    public func log() -> Tensor { unary(.log) }
    public func sqrt() -> Tensor { unary(.sqrt) }
    public func abs() -> Tensor { unary(.abs) }
    public func neg() -> Tensor { unary(.neg) }
    public func sigmoid() -> Tensor { unary(.sigmoid) }
    public func swish() -> Tensor { unary(.swish) }
    public func relu() -> Tensor { unary(.relu) }
    public func tanh() -> Tensor { unary(.tanh) }

    /// Softmax over `dim`, composed as `exp(log_softmax)`.
    public func softmax(dim: Int) throws -> Tensor { try logSoftmax(dim: dim).exp() }

    /// Transpose of the last two dimensions (a matrix's `.T`; a vector is returned unchanged).
    public func t() throws -> Tensor { rank < 2 ? self : try transpose(rank - 2, rank - 1) }

    /// Variance over `dims` (biased when `unbiased` is false, as BatchNorm uses).
    public func variance(dims: [Int], keepDim: Bool = false, unbiased: Bool = true) throws -> Tensor {
        let ds = try dims.map { try Tensor.normalizeDim($0, rank: rank, op: "var") }
        let mu = try mean(dims: ds, keepDim: true)
        let sq = try sub(mu).unary(.square)
        let n = Set(ds).reduce(1) { $0 * shape[$1] }
        let s = try sq.sum(dims: ds, keepDim: keepDim)
        return s.affine(scale: 1 / Float(Swift.max(unbiased ? n - 1 : n, 1)))
    }

    /// Inverted dropout: zeroes elements with probability `p` and scales the rest by `1 / (1 - p)`.
    /// With a `shard`, this tensor holds this rank's rows of the batch: the mask is drawn for the whole batch
    /// (the generator advances as in one process) and this rank's rows of it are used.
    public func dropout(p: Float, rng: inout SeededRandom, shard: BatchShard? = nil) throws -> Tensor {
        guard p >= 0, p < 1 else { throw EngineError("dropout", "probability must be in [0, 1) (got \(p))") }
        if p == 0 { return self }
        let mask = Tensor(zeros: shape, zeroed: false)
        try fillMask(mask, p: p, perRow: count / Swift.max(shape.first ?? 1, 1), shard: shard, rng: &rng)
        return try mul(mask)
    }

    /// Stochastic depth on a residual branch `(N, …)`: each sample's branch is dropped with
    /// probability `p` and kept samples are scaled by `1 / (1 - p)` (with a `shard`, as `dropout`).
    public func dropPath(p: Float, rng: inout SeededRandom, shard: BatchShard? = nil) throws -> Tensor {
        guard p >= 0, p < 1 else { throw EngineError("drop_path", "probability must be in [0, 1) (got \(p))") }
        if p == 0 || rank == 0 { return self }
        var maskShape = [Int](repeating: 1, count: rank)
        maskShape[0] = shape[0]
        let mask = Tensor(zeros: maskShape, zeroed: false)
        try fillMask(mask, p: p, perRow: 1, shard: shard, rng: &rng)
        return try mul(mask)
    }

    /// Fills `mask` (`perRow` values for each row of this tensor) with 0 (probability `p`) or `1 / (1 - p)`. With a
    /// `shard`, the values of the whole batch are drawn and this rank's rows of them kept.
    private func fillMask(_ mask: Tensor, p: Float, perRow: Int, shard: BatchShard?, rng: inout SeededRandom) throws {
        var first = 0, drawn = mask.count
        if let shard, rank > 0 {
            guard shape[0] == shard.rows.count else {
                throw EngineError("data parallel", "a tensor of \(shape[0]) rows is not this rank's \(shard.rows.count) rows of the batch")
            }
            (first, drawn) = (shard.rows.lowerBound * perRow, shard.batchRows * perRow)
        }
        let keep = 1 / (1 - p)
        for i in 0..<drawn {
            let v: Float = rng.uniform() < Double(p) ? 0 : keep
            if i >= first && i - first < mask.count { mask.data[i - first] = v }
        }
    }

    /// Index of the largest value in each row of the last dimension.
    public func argmaxLast() -> [Int] {
        let inner = shape.last ?? 1
        let rows = count / Swift.max(inner, 1)
        return (0..<rows).map { r in
            var bi = 0
            for j in 1..<Swift.max(inner, 1) where data[r * inner + j] > data[r * inner + bi] { bi = j }
            return bi
        }
    }
}

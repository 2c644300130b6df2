/// Layout primitives: reshape (a view), permute, slice, concat, pad, expand, index-select.
extension Tensor {
    /// A view with a new shape of the same element count; one dimension may be -1.
    public func reshape(_ newShape: [Int]) throws -> Tensor {
        var s = newShape
        let inferred = s.indices.filter { s[$0] == -1 }
        guard inferred.count <= 1 else { throw EngineError("reshape", "only one dimension can be -1 in \(shapeString(newShape))") }
        if let i = inferred.first {
            let known = s.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            guard known > 0, count % known == 0 else {
                throw EngineError("reshape", "shape \(shapeString(newShape)) is invalid for input of size \(count)")
            }
            s[i] = count / known
        }
        guard s.allSatisfy({ $0 >= 0 }), s.reduce(1, *) == count else {
            throw EngineError(
                "reshape", "shape \(shapeString(newShape)) is invalid for input of size \(count) (shape \(shapeString(shape)))")
        }
        let out = Tensor(shape: s, storage: storage, offset: offset)
        return Tensor.record(out, op: .reshape, inputs: [self]) { [shape] g, _ in
            [Tensor(shape: shape, storage: g.storage, offset: g.offset)]
        }
    }

    /// Reorders dimensions (a copy); `permute([1, 0])` is a transpose.
    public func permute(_ order: [Int]) throws -> Tensor {
        let ord = try order.map { try Tensor.normalizeDim($0, rank: rank, op: "permute") }
        guard ord.count == rank, Set(ord).count == rank else {
            throw EngineError("permute", "order \(shapeString(order)) is not a permutation of \(rank) dimensions")
        }
        let out = permuted(ord)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in ord.enumerated() { inverse[o] = i }
        return Tensor.record(out, op: .permute, inputs: [self]) { g, _ in [g.permuted(inverse)] }
    }

    /// Swaps two dimensions.
    public func transpose(_ d0: Int, _ d1: Int) throws -> Tensor {
        let a = try Tensor.normalizeDim(d0, rank: rank, op: "transpose")
        let b = try Tensor.normalizeDim(d1, rank: rank, op: "transpose")
        var ord = Array(0..<rank)
        ord.swapAt(a, b)
        return try permute(ord)
    }

    /// Unrecorded permutation copy.
    func permuted(_ ord: [Int]) -> Tensor {
        let inStrides = Tensor.strides(of: shape)
        return gather(outShape: ord.map { shape[$0] }, sourceStrides: ord.map { inStrides[$0] })
    }

    /// Elements `start..<end` by `step` along `dim` (a copy). Bounds are clamped like Python slices.
    public func slice(dim: Int, start: Int, end: Int, step: Int = 1) throws -> Tensor {
        let d = try Tensor.normalizeDim(dim, rank: rank, op: "slice")
        guard step > 0 else { throw EngineError("slice", "step must be positive (got \(step))") }
        let n = shape[d]
        func clamp(_ i: Int) -> Int { Swift.min(Swift.max(i < 0 ? i + n : i, 0), n) }
        let lo = clamp(start), hi = Swift.max(clamp(end), clamp(start))
        let m = (hi - lo + step - 1) / step
        let (outer, _, inner) = Tensor.split(shape, at: d)
        var outShape = shape
        outShape[d] = m
        let out = Tensor(zeros: outShape, zeroed: false)
        let p = data, o = out.data
        for a in 0..<outer {
            for j in 0..<m {
                (o + (a * m + j) * inner).update(from: p + (a * n + lo + j * step) * inner, count: inner)
            }
        }
        let inShape = shape
        return Tensor.record(out, op: .slice, inputs: [self]) { g, _ in
            let gi = Tensor(zeros: inShape)
            let gp = g.data, gd = gi.data
            for a in 0..<outer {
                for j in 0..<m {
                    let dst = gd + (a * n + lo + j * step) * inner, src = gp + (a * m + j) * inner
                    for k in 0..<inner { dst[k] += src[k] }
                }
            }
            return [gi]
        }
    }

    /// Joins tensors along `dim`; all other dimensions must agree.
    public static func concat(_ parts: [Tensor], dim: Int) throws -> Tensor {
        guard let first = parts.first else { throw EngineError("concat", "needs at least one tensor") }
        let d = try Tensor.normalizeDim(dim, rank: first.rank, op: "concat")
        for (i, t) in parts.enumerated() {
            guard t.rank == first.rank,
                t.shape.enumerated().allSatisfy({ $0.offset == d || $0.element == first.shape[$0.offset] })
            else {
                throw EngineError(
                    "concat",
                    "tensor \(i) has shape \(shapeString(t.shape)), incompatible with \(shapeString(first.shape)) along dimension \(dim)")
            }
        }
        let sizes = parts.map { $0.shape[d] }
        var outShape = first.shape
        outShape[d] = sizes.reduce(0, +)
        let (outer, total, inner) = split(outShape, at: d)
        let out = Tensor(zeros: outShape, zeroed: false)
        var start = 0
        for (t, m) in zip(parts, sizes) {
            for a in 0..<outer {
                (out.data + (a * total + start) * inner).update(from: t.data + a * m * inner, count: m * inner)
            }
            start += m
        }
        return record(out, op: .concat, inputs: parts) { g, _ in
            var s = 0
            return zip(parts, sizes).map { t, m in
                defer { s += m }
                guard t.requiresGrad else { return nil }
                let gi = Tensor(zeros: t.shape, zeroed: false)
                for a in 0..<outer { (gi.data + a * m * inner).update(from: g.data + (a * total + s) * inner, count: m * inner) }
                return gi
            }
        }
    }

    /// Pads `dim` with `before` and `after` elements of `value`.
    public func pad(dim: Int, before: Int, after: Int, value: Float = 0) throws -> Tensor {
        let d = try Tensor.normalizeDim(dim, rank: rank, op: "pad")
        guard before >= 0, after >= 0 else { throw EngineError("pad", "padding must be non-negative (got \(before), \(after))") }
        let (outer, n, inner) = Tensor.split(shape, at: d)
        let m = n + before + after
        var outShape = shape
        outShape[d] = m
        let out = Tensor(zeros: outShape, zeroed: false)
        if value == 0 { out.data.initialize(repeating: 0, count: out.count) } else { out.fill(value) }
        let p = data, o = out.data
        for a in 0..<outer { (o + (a * m + before) * inner).update(from: p + a * n * inner, count: n * inner) }
        let inShape = shape
        return Tensor.record(out, op: .pad, inputs: [self]) { g, _ in
            let gi = Tensor(zeros: inShape, zeroed: false)
            for a in 0..<outer { (gi.data + a * n * inner).update(from: g.data + (a * m + before) * inner, count: n * inner) }
            return [gi]
        }
    }

    /// Broadcasts to `target` (a copy); backward sums over the broadcast dimensions.
    public func expand(_ target: [Int]) throws -> Tensor {
        let b = try Broadcast.shape(shape, target, op: "expand")
        guard b == target else {
            throw EngineError("expand", "shape \(shapeString(shape)) cannot be expanded to \(shapeString(target))")
        }
        let out = broadcastCopy(to: target)
        let inShape = shape
        return Tensor.record(out === self ? detached() : out, op: .expand, inputs: [self]) { g, _ in [g.sumTo(inShape)] }
    }

    /// Rows `indices` of dimension 0 (a copy), e.g. a mini-batch from a dataset tensor.
    public func indexSelect(_ indices: [Int]) throws -> Tensor {
        guard rank >= 1 else { throw EngineError("index", "cannot index a 0-dimensional tensor") }
        let n = shape[0], inner = count / Swift.max(n, 1)
        for i in indices where i < 0 || i >= n {
            throw EngineError("index", "index \(i) is out of range for dimension 0 of size \(n)")
        }
        var outShape = shape
        outShape[0] = indices.count
        let out = Tensor(zeros: outShape, zeroed: false)
        for (r, i) in indices.enumerated() { (out.data + r * inner).update(from: data + i * inner, count: inner) }
        let inShape = shape
        return Tensor.record(out, op: .indexSelect, inputs: [self]) { g, _ in
            let gi = Tensor(zeros: inShape)
            for (r, i) in indices.enumerated() {
                let dst = gi.data + i * inner, src = g.data + r * inner
                for k in 0..<inner { dst[k] += src[k] }
            }
            return [gi]
        }
    }
}

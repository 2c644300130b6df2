import Foundation

extension Tensor {
    /// (outer, n, inner) decomposition of `shape` around `dim`.
    @inline(__always)
    static func split(_ shape: [Int], at dim: Int) -> (Int, Int, Int) {
        (shape[..<dim].reduce(1, *), shape[dim], shape[(dim + 1)...].reduce(1, *))
    }

    /// Unrecorded sum over one dimension, keeping it with size 1.
    func reduceSum(dim: Int) -> Tensor {
        let (outer, n, inner) = Tensor.split(shape, at: dim)
        var outShape = shape
        outShape[dim] = 1
        let out = Tensor(zeros: outShape)
        let s = data, d = out.data
        if inner == 1 {
            Parallel.forEachChunk(outer, grain: max(1, 16_384 / max(n, 1))) { r in
                for o in r {
                    var sum = LaneSum()
                    sum.add(s + o * n, count: n)
                    d[o] = sum.total
                }
            }
        } else {
            Parallel.forEachChunk(outer, grain: max(1, 16_384 / max(n * inner, 1))) { r in
                for o in r {
                    let dst = d + o * inner
                    for j in 0..<n {
                        let src = s + (o * n + j) * inner
                        for k in 0..<inner { dst[k] += src[k] }
                    }
                }
            }
        }
        return out
    }

    /// Sum over `dims` (all when nil). The primitive: backward broadcasts the gradient back.
    public func sum(dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        let ds = try (dims ?? Array(0..<rank)).map { try Tensor.normalizeDim($0, rank: rank, op: "sum") }
        var t = self.detached()
        for d in Set(ds).sorted() where rank > 0 { t = t.reduceSum(dim: d) }
        let kept = t.shape
        let outShape = keepDim ? kept : shape.enumerated().filter { !ds.contains($0.offset) }.map(\.element)
        let out = Tensor(shape: outShape, storage: t.storage, offset: t.offset)
        return Tensor.record(out, op: .sum, inputs: [self]) { [self] g, _ in
            [Tensor(shape: kept, storage: g.storage, offset: g.offset).broadcastCopy(to: self.shape)]
        }
    }

    /// Mean over `dims` (all when nil), composed as a sum times 1/n.
    public func mean(dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        let ds = try (dims ?? Array(0..<rank)).map { try Tensor.normalizeDim($0, rank: rank, op: "mean") }
        let n = Set(ds).reduce(1) { $0 * shape[$1] }
        return try sum(dims: ds, keepDim: keepDim).affine(scale: n == 0 ? .nan : 1 / Float(n))
    }

    /// Maximum (or minimum) over one dimension, with the gradient routed to the first extreme element.
    /// The largest (smallest) values along `d` (shape with `d` kept as 1) and their first positions; NaN wins,
    /// as in NumPy.
    func extremes(_ d: Int, largest: Bool) -> (values: Tensor, positions: [Int]) {
        let (outer, n, inner) = Tensor.split(shape, at: d)
        var kept = shape
        kept[d] = 1
        let out = Tensor(zeros: kept, zeroed: false)
        var arg = [Int](repeating: 0, count: outer * inner)
        let s = data, o = out.data
        for a in 0..<outer {
            for k in 0..<inner {
                var best = s[a * n * inner + k], bi = 0
                for j in 1..<max(n, 1) {
                    let v = s[(a * n + j) * inner + k]
                    if (largest ? v > best : v < best) || (v.isNaN && !best.isNaN) { best = v; bi = j }
                }
                o[a * inner + k] = best
                arg[a * inner + k] = bi
            }
        }
        return (out, arg)
    }

    /// NumPy's `argmax`/`argmin`: the position of the first largest (smallest) element — of the flattened tensor
    /// when `dim` is nil (a scalar tensor), else along `dim` (that dimension removed). Positions as float32.
    public func argExtreme(dim: Int?, largest: Bool) throws -> Tensor {
        let op = largest ? "argmax" : "argmin"
        guard count > 0 else { throw EngineError(op, "empty tensor") }
        let flat = dim == nil ? try reshape([count]) : self
        let d = try Tensor.normalizeDim(dim ?? 0, rank: flat.rank, op: op)
        let (_, arg) = flat.extremes(d, largest: largest)
        let outShape = flat.shape.enumerated().filter { $0.offset != d }.map(\.element)
        return Tensor(arg.map(Float.init), shape: outShape)
    }

    public func extreme(dim: Int, keepDim: Bool = false, largest: Bool = true) throws -> Tensor {
        let d = try Tensor.normalizeDim(dim, rank: rank, op: largest ? "max" : "min")
        guard shape[d] > 0 else { throw EngineError(largest ? "max" : "min", "dimension \(dim) has size 0") }
        let (outer, n, inner) = Tensor.split(shape, at: d)
        var kept = shape
        kept[d] = 1
        let (out, arg) = extremes(d, largest: largest)
        let outShape = keepDim ? kept : shape.enumerated().filter { $0.offset != d }.map(\.element)
        let result = Tensor(shape: outShape, storage: out.storage)
        return Tensor.record(result, op: largest ? .max : .min, inputs: [self]) { [self] g, _ in
            let gi = Tensor(zeros: self.shape)
            let gp = g.data, gd = gi.data
            for a in 0..<outer { for k in 0..<inner { gd[(a * n + arg[a * inner + k]) * inner + k] += gp[a * inner + k] } }
            return [gi]
        }
    }

    /// Log-softmax over `dim`, numerically stable; softmax is `exp` of it.
    public func logSoftmax(dim: Int) throws -> Tensor {
        let d = try Tensor.normalizeDim(dim, rank: rank, op: "log_softmax")
        let (outer, n, inner) = Tensor.split(shape, at: d)
        let out = Tensor(zeros: shape, zeroed: false)
        let s = data, o = out.data
        for a in 0..<outer {
            for k in 0..<inner {
                var m = -Float.infinity
                for j in 0..<n { m = Swift.max(m, s[(a * n + j) * inner + k]) }
                var z: Float = 0
                for j in 0..<n { z += Foundation.exp(s[(a * n + j) * inner + k] - m) }
                let lz = m + Foundation.log(z)
                for j in 0..<n { o[(a * n + j) * inner + k] = s[(a * n + j) * inner + k] - lz }
            }
        }
        return Tensor.record(out, op: .logSoftmax, inputs: [self]) { [shape] g, _ in
            // dx = g - softmax * sum(g); `o` is the result's buffer (the result owns this closure)
            let gi = Tensor(zeros: shape, zeroed: false)
            let gp = g.data, gd = gi.data
            for a in 0..<outer {
                for k in 0..<inner {
                    var sg: Float = 0
                    for j in 0..<n { sg += gp[(a * n + j) * inner + k] }
                    for j in 0..<n {
                        let idx = (a * n + j) * inner + k
                        gd[idx] = gp[idx] - Foundation.exp(o[idx]) * sg
                    }
                }
            }
            return [gi]
        }
    }
}

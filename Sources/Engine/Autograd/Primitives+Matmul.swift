/// Matrix products through BLAS sgemm: `matmul` and the fused `linear` layer op.
extension Tensor {
    /// Matrix product with PyTorch semantics for 1-D, 2-D and batched (same batch shape, or a 2-D
    /// right operand) inputs.
    public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.rank >= 1, b.rank >= 1 else {
            throw EngineError(
                "matmul", "both operands need at least one dimension (got \(shapeString(a.shape)) and \(shapeString(b.shape)))")
        }
        let a2 = a.rank == 1 ? try a.reshape([1, a.shape[0]]) : a
        let b2 = b.rank == 1 ? try b.reshape([b.shape[0], 1]) : b
        let m = a2.shape[a2.rank - 2], k = a2.shape[a2.rank - 1]
        let k2 = b2.shape[b2.rank - 2], n = b2.shape[b2.rank - 1]
        guard k == k2 else {
            throw EngineError("matmul", "shapes \(shapeString(a.shape)) and \(shapeString(b.shape)) cannot be multiplied (\(k) ≠ \(k2))")
        }
        let aBatch = Array(a2.shape.dropLast(2)), bBatch = Array(b2.shape.dropLast(2))
        guard bBatch.isEmpty || aBatch == bBatch else {
            throw EngineError("matmul", "batch dimensions \(shapeString(aBatch)) and \(shapeString(bBatch)) differ")
        }
        let batch = aBatch.reduce(1, *)
        var outShape = aBatch + [m, n]
        _ = try checkedCount(outShape, op: "matmul")
        let out = Tensor(zeros: outShape, zeroed: false)
        let bStep = bBatch.isEmpty ? 0 : k * n
        if bBatch.isEmpty {
            BLAS.sgemmParallel(
                transA: false, transB: false, m: batch * m, n: n, k: k, a: a2.data, lda: k, b: b2.data, ldb: n, c: out.data, ldc: n)
        } else {
            for i in 0..<batch {
                BLAS.sgemmParallel(
                    transA: false, transB: false, m: m, n: n, k: k, a: a2.data + i * m * k, lda: k,
                    b: b2.data + i * bStep, ldb: n, c: out.data + i * m * n, ldc: n)
            }
        }
        let result = record(out, op: .matmul, inputs: [a2, b2]) { g, _ in
            var ga: Tensor? = nil, gb: Tensor? = nil
            if a2.requiresGrad { // dA = dC · Bᵀ
                let t = Tensor(zeros: a2.shape, zeroed: false)
                for i in 0..<batch {
                    BLAS.sgemmParallel(
                        transA: false, transB: true, m: m, n: k, k: n, a: g.data + i * m * n, lda: n,
                        b: b2.data + i * bStep, ldb: n, c: t.data + i * m * k, ldc: k)
                }
                ga = t
            }
            if b2.requiresGrad { // dB = Aᵀ · dC (summed over the batch when B is shared)
                let t = Tensor(zeros: b2.shape)
                for i in 0..<batch {
                    BLAS.sgemmParallel(
                        transA: true, transB: false, m: k, n: n, k: m, a: a2.data + i * m * k, lda: k,
                        b: g.data + i * m * n, ldb: n, beta: bBatch.isEmpty ? 1 : 0, c: t.data + i * bStep, ldc: n)
                }
                gb = t
            }
            return [ga, gb]
        }
        // Drop the dimensions that were added for 1-D operands.
        if a.rank == 1 { outShape.remove(at: outShape.count - 2) }
        if b.rank == 1 { outShape.removeLast() }
        return outShape == result.shape ? result : try result.reshape(outShape)
    }

    /// `x · Wᵀ + b` for `x` of shape `(…, in)`, `weight` `(out, in)`, `bias` `(out)` — PyTorch's Linear.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard weight.rank == 2, x.rank >= 1 else {
            throw EngineError("linear", "weight must be 2-D (got \(shapeString(weight.shape))) and input at least 1-D")
        }
        let inF = weight.shape[1], outF = weight.shape[0]
        guard x.shape.last == inF else {
            throw EngineError(
                "linear",
                "input of shape \(shapeString(x.shape)) does not match weight \(shapeString(weight.shape)) (\(x.shape.last ?? 0) ≠ \(inF))")
        }
        if let b = bias, b.shape != [outF] {
            throw EngineError("linear", "bias of shape \(shapeString(b.shape)) does not match \(outF) output features")
        }
        let rows = x.count / Swift.max(inF, 1)
        let out = Tensor(zeros: Array(x.shape.dropLast()) + [outF], zeroed: false)
        if let b = bias {
            for r in 0..<rows { (out.data + r * outF).update(from: b.data, count: outF) }
        }
        LinearProducts.timesTransposed(m: rows, n: outF, k: inF, x: x.data, w: weight.data, out: out.data, accumulate: bias != nil)
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return record(out, op: .linear, inputs: inputs) { g, _ in
            var gx: Tensor? = nil, gw: Tensor? = nil, gb: Tensor? = nil
            if x.requiresGrad {
                let t = Tensor(zeros: x.shape, zeroed: false)
                LinearProducts.times(m: rows, n: outF, k: inF, g: g.data, w: weight.data, out: t.data)
                gx = t
            }
            if weight.requiresGrad {
                let t = Tensor(zeros: weight.shape, zeroed: false)
                LinearProducts.transposedTimes(m: rows, n: outF, k: inF, g: g.data, x: x.data, out: t.data)
                gw = t
            }
            if let b = bias, b.requiresGrad {
                let t = Tensor(zeros: [outF])
                for r in 0..<rows { for j in 0..<outF { t.data[j] += g.data[r * outF + j] } }
                gb = t
            }
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }
}

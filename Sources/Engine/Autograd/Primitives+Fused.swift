/// Fused primitives: several element-wise steps of a residual block in one pass over memory.
extension Tensor {
    /// `y[n, c, t] = x[n, c, t] · scale[n, c] + r[n, c − offset, t]`, where the residual `r` term is 0
    /// outside its `Cr` channels: squeeze-excitation scaling plus a shortcut zero-padded on the channel
    /// axis, as `x.mul(scale.reshape([N, C, 1])).add(r.pad(dim: 1, before: offset, after: …))` computes
    /// it (same values; gradients up to summation order), without the three intermediate tensors.
    public static func scaledResidual(_ x: Tensor, scale: Tensor, residual r: Tensor, channelOffset offset: Int) throws -> Tensor {
        guard x.rank == 3 else { throw EngineError("scaled_residual", "input must be (N, C, L); got shape \(shapeString(x.shape))") }
        let (n, c, l) = (x.shape[0], x.shape[1], x.shape[2])
        guard scale.shape == [n, c] else {
            throw EngineError("scaled_residual", "scale \(shapeString(scale.shape)) must be [\(n), \(c)] for input \(shapeString(x.shape))")
        }
        guard r.rank == 3, r.shape[0] == n, r.shape[2] == l, offset >= 0, offset + r.shape[1] <= c else {
            throw EngineError(
                "scaled_residual", "residual \(shapeString(r.shape)) at channel \(offset) does not fit input \(shapeString(x.shape))")
        }
        let cr = r.shape[1]
        let out = Tensor(zeros: x.shape, zeroed: false)
        let xp = x.data, sp = scale.data, rp = r.data, op = out.data
        Parallel.forEachChunk(n * c, grain: Swift.max(1, 16_384 / Swift.max(l, 1))) { rows in
            for row in rows {
                let (s, ch) = (row / c, row % c)
                let k = sp[row], src = xp + row * l, dst = op + row * l
                let rc = ch - offset
                if rc >= 0 && rc < cr {
                    let res = rp + (s * cr + rc) * l
                    for t in 0..<l { dst[t] = src[t] * k + res[t] }
                } else {
                    for t in 0..<l { dst[t] = src[t] * k }
                }
            }
        }
        return record(out, op: .scaledResidual, inputs: [x, scale, r]) { g, _ in
            let gp = g.data
            let gx = x.requiresGrad ? Tensor(zeros: x.shape, zeroed: false) : nil
            let gs = scale.requiresGrad ? Tensor(zeros: scale.shape, zeroed: false) : nil
            let gr = r.requiresGrad ? Tensor(zeros: r.shape, zeroed: false) : nil
            Parallel.forEachChunk(n * c, grain: Swift.max(1, 16_384 / Swift.max(l, 1))) { rows in
                for row in rows {
                    let (s, ch) = (row / c, row % c)
                    let grow = gp + row * l
                    if let gx {
                        let k = sp[row], dst = gx.data + row * l
                        for t in 0..<l { dst[t] = grow[t] * k }
                    }
                    if let gs { // in 16 lanes: a single running sum was bound by the latency of each addition
                        var acc = LaneSum()
                        acc.addProducts(grow, xp + row * l, count: l)
                        gs.data[row] = acc.total
                    }
                    let rc = ch - offset
                    if let gr, rc >= 0 && rc < cr { (gr.data + (s * cr + rc) * l).update(from: grow, count: l) }
                }
            }
            return [gx, gs, gr]
        }
    }
}

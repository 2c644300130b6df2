import Testing
@testable import Engine

/// Fused and fast-path primitives against the separate operations they replace.
@Suite struct FusedOpsTests {
    /// Lengths 7 (the scale gradient's scalar tail only) and 37 (two 16-lane vectors and a tail).
    @Test(arguments: [7, 37]) func scaledResidualEqualsMulPadAdd(length l: Int) throws {
        var rng = SeededRandom(seed: 21)
        let x = try Tensor.randn([3, 10, l], rng: &rng), se = try Tensor.randn([3, 10], rng: &rng)
        let r = try Tensor.randn([3, 4, l], rng: &rng), g = try Tensor.randn([3, 10, l], rng: &rng)
        func run(fused: Bool) throws -> [[Float]] {
            let (xi, si, ri) = (x.clone(), se.clone(), r.clone())
            for t in [xi, si, ri] { t.requiresGrad = true }
            let y =
                fused
                ? try Tensor.scaledResidual(xi, scale: si, residual: ri, channelOffset: 3)
                : try xi.mul(si.reshape([3, 10, 1])).add(ri.pad(dim: 1, before: 3, after: 3))
            try y.mul(g).sum().backward()
            return [y.values, xi.grad!.values, si.grad!.values, ri.grad!.values]
        }
        let fused = try run(fused: true), separate = try run(fused: false)
        #expect(fused[0] == separate[0])
        #expect(fused[1] == separate[1])
        #expect(fused[3] == separate[3])
        // The scale gradient against a double-precision dot product of the output gradient and the input.
        let (xv, gv) = (x.values, g.values)
        for row in 0..<30 {
            let exact = (0..<l).reduce(0.0) { $0 + Double(gv[row * l + $1]) * Double(xv[row * l + $1]) }
            #expect(abs(Double(fused[2][row]) - exact) <= 1e-5 * max(1, abs(exact)), "row \(row)")
        }
        #expect(zip(fused[2], separate[2]).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
        #expect(throws: EngineError.self) { try Tensor.scaledResidual(x, scale: se, residual: r, channelOffset: 7) }
        #expect(throws: EngineError.self) { try Tensor.scaledResidual(x, scale: r, residual: r, channelOffset: 0) }
    }

    /// 2-wide max pooling, with and without the argmax (both run the branch-free `PoolKernels` interior
    /// with eight windows a vector), against a plain loop over the windows: values, and where the
    /// backward pass routes each gradient — NaN, ±∞, ties (the first wins) and padding included.
    @Test(arguments: [(2, 0, 1, 37), (2, 1, 0, 37), (2, 1, 1, 40), (2, 0, 0, 16), (3, 1, 1, 11), (1, 0, 1, 19)])
    func maxPoolEqualsPlainLoop(_ geometry: (Int, Int, Int, Int)) throws {
        let (stride, padLeft, padRight, l) = geometry
        var rng = SeededRandom(seed: 22)
        let x = try Tensor.randn([2, 3, l], rng: &rng)
        for i in stride..<x.count where i % 5 == 0 { x.data[i] = x.data[i - 1] } // ties
        x.data[3] = .nan; x.data[9] = .nan; x.data[10] = .nan; x.data[20] = -.infinity; x.data[21] = -.infinity
        x.data[l + 4] = .infinity
        let lout = (l + padLeft + padRight - 2) / stride + 1
        var expected = [Float](), routed = [Int]() // routed: the input position of each window's maximum, −1 for padding
        for row in 0..<6 {
            for t in 0..<lout {
                var best: Float = 0, at = -1
                for j in 0..<2 {
                    let i = t * stride + j - padLeft
                    let v: Float = i >= 0 && i < l ? x.data[row * l + i] : 0
                    if j == 0 || v > best || (v.isNaN && !best.isNaN) { (best, at) = (v, i >= 0 && i < l ? row * l + i : -1) }
                }
                expected.append(best); routed.append(at)
            }
        }
        func same(_ a: [Float], _ b: [Float]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) } }
        let inference = try GradMode.withoutGrad {
            try Tensor.maxPool1d(x, kernel: 2, stride: stride, padLeft: padLeft, padRight: padRight)
        }
        #expect(same(inference.values, expected))
        let xg = x.clone(); xg.requiresGrad = true
        let training = try Tensor.maxPool1d(xg, kernel: 2, stride: stride, padLeft: padLeft, padRight: padRight)
        #expect(same(training.values, expected))
        let g = Tensor((0..<expected.count).map { Float($0 + 1) }, shape: training.shape)
        try training.mul(g).sum().backward()
        var expectedGrad = [Float](repeating: 0, count: x.count)
        for (k, at) in routed.enumerated() where at >= 0 { expectedGrad[at] += Float(k + 1) }
        #expect(xg.grad!.values == expectedGrad)
        #expect(expected.contains { $0.isNaN })
    }

    /// The vectorised Adam(W) update (16 lanes, then a scalar tail) against the formula written out one
    /// parameter at a time, bit for bit, wherever a chunk starts.
    @Test(arguments: [0, 3])
    func adamUpdateEqualsScalarFormula(_ start: Int) throws {
        var rng = SeededRandom(seed: 23)
        let n = 53
        let w0 = try Tensor.randn([n], rng: &rng).values, g = try Tensor.randn([n], rng: &rng).values
        let m0 = try Tensor.randn([n], rng: &rng).values.map { $0 * 0.1 }, v0 = try Tensor.randn([n], rng: &rng).values.map { $0 * $0 }
        let c = Optimizer.AdamScalars(b1: 0.9, b2: 0.999, eps: 1e-8, l2: 0.01, decay: 0.999, stepSize: 0.003, bc2Sqrt: 0.0447)
        var (w, m, v) = (w0, m0, v0)
        for i in 0..<n {
            let gi = g[i] + c.l2 * w[i]
            w[i] *= c.decay
            m[i] += (gi - m[i]) * (1 - c.b1)
            v[i] = v[i] * c.b2 + (1 - c.b2) * gi * gi
            w[i] -= c.stepSize * m[i] / (v[i].squareRoot() / c.bc2Sqrt + c.eps)
        }
        var (wk, mk, vk) = (w0, m0, v0)
        wk.withUnsafeMutableBufferPointer { wp in
            mk.withUnsafeMutableBufferPointer { mp in
                vk.withUnsafeMutableBufferPointer { vp in
                    g.withUnsafeBufferPointer { gp in
                        for (lo, hi) in [(0, start), (start, n)] where hi > lo {
                            Optimizer.adamUpdate(
                                w: wp.baseAddress! + lo, g: gp.baseAddress! + lo, m: mp.baseAddress! + lo, v: vp.baseAddress! + lo,
                                count: hi - lo, c)
                        }
                    }
                }
            }
        }
        #expect(wk == w)
        #expect(mk == m)
        #expect(vk == v)
    }
}

/// The three matrix products of a Linear layer over rows of features: the forward pass `x · wᵀ`, the input
/// gradient `g · w` and the weight gradient `gᵀ · x`. With at most `maxRows` rows (a batch of a few vectors: Net1D's
/// squeeze-excitation layers and its classifier at batch 8) they run on the loops here, which read the weights once,
/// straight from the matrix, with the few rows of the other operand kept in L1: BLAS packs the whole weight matrix
/// for every such call and then uses each packed value for only a few rows (measured 2026-11-30, `ecgs-bench --linear`,
/// 3 interleaved rounds: 8,1024,512 forward 290–320 → 110–170 µs, training step 720–790 → 490–650 µs; 8,512,1024
/// forward 310–430 → 160–260 µs, training step 670–720 → 620–710 µs). More rows go to BLAS.
///
/// Here each output value is summed in a fixed order (16-lane partial sums over the long dimension, then the
/// lanes, then the scalar tail), so the result does not depend on the number of workers.
enum LinearProducts {
    typealias V = ConvKernels.V
    /// The most rows the loops here take (beyond that BLAS's packing pays for itself).
    static let maxRows = 16
    /// Rows of the few-row operand per pass: 8 rows × 2 vectors of the other operand are 16 accumulators, 16 of
    /// AVX-512's 32 registers; AVX2 has 16 registers of 8 floats, where 2 rows (8 registers) are the most that fit
    /// beside the operands (8 rows spilled every accumulator to memory).
    #if ECGS_SIXTEEN_REGISTERS
        private typealias Pass = Two
    #else
        private typealias Pass = Eight
    #endif
    @inline(__always) private static var width: Int { V.scalarCount }

    @inline(__always) private static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    /// Element `i` of eight accumulators (a switch, so that they stay in registers until here).
    @inline(__always) private static func lane(_ t: (V, V, V, V, V, V, V, V), _ i: Int) -> V {
        switch i {
        case 0: t.0
        case 1: t.1
        case 2: t.2
        case 3: t.3
        case 4: t.4
        case 5: t.5
        case 6: t.6
        default: t.7
        }
    }
    @inline(__always) private static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// `out[r·n + j] = (accumulate ? out[r·n + j] : 0) + Σ_c x[r·k + c] · w[j·k + c]` for `r < m`, `j < n`: `x · wᵀ`
    /// with `x` m × k and `w` n × k row-major (a Linear layer's forward pass).
    static func timesTransposed(
        m: Int, n: Int, k: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
        accumulate: Bool
    ) {
        if m > maxRows {
            BLAS.sgemmParallel(
                transA: false, transB: true, m: m, n: n, k: k, a: x, lda: k, b: w, ldb: k, beta: accumulate ? 1 : 0, c: out, ldc: n)
            return
        }
        let pairs = (n + 1) / 2
        Parallel.forEachChunk(pairs, grain: Swift.max(1, 32_768 / Swift.max(1, 2 * k * m))) { range in
            for pair in range {
                let j0 = 2 * pair, j1 = Swift.min(j0 + 1, n - 1) // an odd last row is computed twice, kept once
                for r0 in stride(from: 0, to: m, by: Pass.n) {
                    timesTransposedRows(Pass.self, r0, m, n, k, x, w, out, accumulate, j0, j1)
                }
            }
        }
    }

    /// `timesTransposed` (arguments in its order) for the output rows `r0 ..< r0 + Rows.n` (those below `m`) and the
    /// output columns `j0` and `j1`.
    @inline(__always)
    private static func timesTransposedRows<Rows: KernelCount>(
        _: Rows.Type, _ r0: Int, _ m: Int, _ n: Int, _ k: Int, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
        _ out: UnsafeMutablePointer<Float>, _ accumulate: Bool, _ j0: Int, _ j1: Int
    ) {
        let rows = Rows.n
        // Rows past `m` repeat the last one (computed, never stored).
        @inline(__always) func xs(_ i: Int) -> UnsafePointer<Float> { x + Swift.min(r0 + i, m - 1) * k }
        let (p0, p1, p2, p3, p4, p5, p6, p7) = (xs(0), xs(1), xs(2), xs(3), xs(4), xs(5), xs(6), xs(7))
        let w0 = w + j0 * k, w1 = w + j1 * k
        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
        var b0 = V(), b1 = V(), b2 = V(), b3 = V(), b4 = V(), b5 = V(), b6 = V(), b7 = V()
        var c = 0
        while c + width <= k {
            let u = load(w0 + c), v = load(w1 + c)
            var t = load(p0 + c)
            ConvKernels.mac(&a0, t, u); ConvKernels.mac(&b0, t, v)
            if rows > 1 { t = load(p1 + c); ConvKernels.mac(&a1, t, u); ConvKernels.mac(&b1, t, v) }
            if rows > 2 { t = load(p2 + c); ConvKernels.mac(&a2, t, u); ConvKernels.mac(&b2, t, v) }
            if rows > 3 { t = load(p3 + c); ConvKernels.mac(&a3, t, u); ConvKernels.mac(&b3, t, v) }
            if rows > 4 { t = load(p4 + c); ConvKernels.mac(&a4, t, u); ConvKernels.mac(&b4, t, v) }
            if rows > 5 { t = load(p5 + c); ConvKernels.mac(&a5, t, u); ConvKernels.mac(&b5, t, v) }
            if rows > 6 { t = load(p6 + c); ConvKernels.mac(&a6, t, u); ConvKernels.mac(&b6, t, v) }
            if rows > 7 { t = load(p7 + c); ConvKernels.mac(&a7, t, u); ConvKernels.mac(&b7, t, v) }
            c += width
        }
        let first = (a0, a1, a2, a3, a4, a5, a6, a7), second = (b0, b1, b2, b3, b4, b5, b6, b7)
        for i in 0..<Swift.min(rows, m - r0) {
            var s0 = lane(first, i).sum(), s1 = lane(second, i).sum()
            let xi = xs(i)
            for t in c..<k {
                s0 += xi[t] * w0[t]
                s1 += xi[t] * w1[t]
            }
            let row = out + (r0 + i) * n
            row[j0] = (accumulate ? row[j0] : 0) + s0
            if j1 != j0 { row[j1] = (accumulate ? row[j1] : 0) + s1 }
        }
    }

    /// `out[r·k + c] = Σ_j g[r·n + j] · w[j·k + c]` for `r < m`, `c < k`: `g · w` with `g` m × n and `w` n × k
    /// row-major (a Linear layer's input gradient). Written, not added. Pairs of column vectors in parallel, each
    /// summed down every row of `w` in registers (8 rows × 2 vectors). Streaming rows of `w` into all `m` rows of the
    /// output held in L1 instead had to load and store the output for every multiply-add, with the rows 4 KB apart,
    /// and took 1.4–1.6× as long (perf samples over an ECGFounder training step, 2026-11-30).
    static func times(
        m: Int, n: Int, k: Int, g: UnsafePointer<Float>, w: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        if m > maxRows {
            BLAS.sgemmParallel(transA: false, transB: false, m: m, n: k, k: n, a: g, lda: n, b: w, ldb: k, c: out, ldc: k)
            return
        }
        let vectors = k / width, pairs = (vectors + 1) / 2
        Parallel.forEachChunk(pairs, grain: Swift.max(1, 32_768 / Swift.max(1, 2 * width * n * m))) { range in
            for pair in range {
                let c0 = 2 * pair * width, c1 = Swift.min(c0 + width, (vectors - 1) * width) // an odd last vector twice
                for r0 in stride(from: 0, to: m, by: Pass.n) { timesRows(Pass.self, r0, m, n, k, g, w, out, c0, c1) }
            }
        }
        // Columns past the last whole vector.
        for r in 0..<m {
            for c in (vectors * width)..<k {
                var s: Float = 0
                for j in 0..<n { s += g[r * n + j] * w[j * k + c] }
                out[r * k + c] = s
            }
        }
    }

    /// `times` (arguments in its order) for the output rows `r0 ..< r0 + Rows.n` (those below `m`) and the vectors of
    /// columns at `c0` and `c1`.
    @inline(__always)
    private static func timesRows<Rows: KernelCount>(
        _: Rows.Type, _ r0: Int, _ m: Int, _ n: Int, _ k: Int, _ g: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
        _ out: UnsafeMutablePointer<Float>, _ c0: Int, _ c1: Int
    ) {
        let rows = Rows.n
        @inline(__always) func gs(_ i: Int) -> UnsafePointer<Float> { g + Swift.min(r0 + i, m - 1) * n }
        let (q0, q1, q2, q3, q4, q5, q6, q7) = (gs(0), gs(1), gs(2), gs(3), gs(4), gs(5), gs(6), gs(7))
        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
        var b0 = V(), b1 = V(), b2 = V(), b3 = V(), b4 = V(), b5 = V(), b6 = V(), b7 = V()
        var wj = w
        for j in 0..<n {
            let u = load(wj + c0), v = load(wj + c1)
            var t = V(repeating: q0[j])
            ConvKernels.mac(&a0, t, u); ConvKernels.mac(&b0, t, v)
            if rows > 1 { t = V(repeating: q1[j]); ConvKernels.mac(&a1, t, u); ConvKernels.mac(&b1, t, v) }
            if rows > 2 { t = V(repeating: q2[j]); ConvKernels.mac(&a2, t, u); ConvKernels.mac(&b2, t, v) }
            if rows > 3 { t = V(repeating: q3[j]); ConvKernels.mac(&a3, t, u); ConvKernels.mac(&b3, t, v) }
            if rows > 4 { t = V(repeating: q4[j]); ConvKernels.mac(&a4, t, u); ConvKernels.mac(&b4, t, v) }
            if rows > 5 { t = V(repeating: q5[j]); ConvKernels.mac(&a5, t, u); ConvKernels.mac(&b5, t, v) }
            if rows > 6 { t = V(repeating: q6[j]); ConvKernels.mac(&a6, t, u); ConvKernels.mac(&b6, t, v) }
            if rows > 7 { t = V(repeating: q7[j]); ConvKernels.mac(&a7, t, u); ConvKernels.mac(&b7, t, v) }
            wj += k
        }
        let first = (a0, a1, a2, a3, a4, a5, a6, a7), second = (b0, b1, b2, b3, b4, b5, b6, b7)
        for i in 0..<Swift.min(rows, m - r0) {
            store(lane(first, i), out + (r0 + i) * k + c0)
            if c1 != c0 { store(lane(second, i), out + (r0 + i) * k + c1) }
        }
    }

    /// `out[j·k + c] = Σ_r g[r·n + j] · x[r·k + c]` for `j < n`, `c < k`: `gᵀ · x` with `g` m × n and `x` m × k
    /// row-major (a Linear layer's weight gradient). Written, not added.
    static func transposedTimes(
        m: Int, n: Int, k: Int, g: UnsafePointer<Float>, x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        if m > maxRows {
            BLAS.sgemmParallel(transA: true, transB: false, m: n, n: k, k: m, a: g, lda: n, b: x, ldb: k, c: out, ldc: k)
            return
        }
        let quads = (n + 3) / 4, vectors = k / width
        Parallel.forEachChunk(quads, grain: Swift.max(1, 32_768 / Swift.max(1, 4 * k * m))) { range in
            for quad in range {
                // Four output rows at a time (four independent sums per vector of `x`); missing ones repeat the last.
                let jLo = 4 * quad, jHi = Swift.min(jLo + 4, n)
                let j0 = jLo, j1 = Swift.min(jLo + 1, n - 1), j2 = Swift.min(jLo + 2, n - 1), j3 = Swift.min(jLo + 3, n - 1)
                for v in 0..<vectors {
                    let c = v * width
                    var a0 = V(), a1 = V(), a2 = V(), a3 = V()
                    for r in 0..<m {
                        let t = load(x + r * k + c), gr = g + r * n
                        ConvKernels.mac(&a0, V(repeating: gr[j0]), t); ConvKernels.mac(&a1, V(repeating: gr[j1]), t)
                        ConvKernels.mac(&a2, V(repeating: gr[j2]), t); ConvKernels.mac(&a3, V(repeating: gr[j3]), t)
                    }
                    store(a0, out + j0 * k + c)
                    if j1 != j0 { store(a1, out + j1 * k + c) }
                    if j2 != j1 { store(a2, out + j2 * k + c) }
                    if j3 != j2 { store(a3, out + j3 * k + c) }
                }
                for j in jLo..<jHi {
                    for c in (vectors * width)..<k {
                        var s: Float = 0
                        for r in 0..<m { s += g[r * n + j] * x[r * k + c] }
                        out[j * k + c] = s
                    }
                }
            }
        }
    }
}

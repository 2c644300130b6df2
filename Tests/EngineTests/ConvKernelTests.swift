import Testing
@testable import Engine

/// The convolution kernels (direct for k > 1 or stride > 1, BLAS per sample or per batch for 1×1)
/// against a plain double-precision loop, forward and all three gradients, over geometries that
/// exercise every edge: strides 1–3, kernels 1–17, groups with 16, fewer or more than 16 channels,
/// outputs shorter than one 16-wide tile or ending mid-tile, asymmetric and oversized padding.
@Suite struct ConvKernelTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let n, cin, l, cout, k, stride, padLeft, padRight, groups: Int
        var testDescription: String {
            "n\(n) cin\(cin) L\(l) cout\(cout) k\(k) s\(stride) pad\(padLeft)/\(padRight) g\(groups)"
        }
    }

    static let cases: [Case] = [
        Case(n: 2, cin: 32, l: 37, cout: 32, k: 16, stride: 1, padLeft: 7, padRight: 8, groups: 2), // Net1D conv2
        Case(n: 3, cin: 32, l: 50, cout: 32, k: 16, stride: 2, padLeft: 7, padRight: 7, groups: 2), // downsampling conv2
        Case(n: 2, cin: 12, l: 41, cout: 64, k: 16, stride: 2, padLeft: 7, padRight: 8, groups: 1), // first_conv
        Case(n: 1, cin: 16, l: 5, cout: 16, k: 16, stride: 2, padLeft: 7, padRight: 8, groups: 1), // shorter than a tile
        Case(n: 2, cin: 6, l: 23, cout: 20, k: 3, stride: 3, padLeft: 0, padRight: 2, groups: 2), // 10 channels per group out
        Case(n: 2, cin: 40, l: 19, cout: 8, k: 5, stride: 1, padLeft: 2, padRight: 2, groups: 1), // 40 in, 8 out
        Case(n: 2, cin: 4, l: 9, cout: 4, k: 17, stride: 1, padLeft: 12, padRight: 10, groups: 4), // kernel wider than the signal
        Case(n: 2, cin: 3, l: 20, cout: 5, k: 1, stride: 2, padLeft: 0, padRight: 0, groups: 1), // strided 1×1
        Case(n: 3, cin: 24, l: 6, cout: 40, k: 1, stride: 1, padLeft: 0, padRight: 0, groups: 1), // 1×1, batched product
        Case(n: 2, cin: 8, l: 600, cout: 12, k: 1, stride: 1, padLeft: 0, padRight: 0, groups: 2), // 1×1 per sample, grouped
        Case(n: 1, cin: 8, l: 30, cout: 16, k: 1, stride: 1, padLeft: 0, padRight: 0, groups: 1), // 1×1 one sample
        // Deep-stage lengths whose last 16-wide tile is at most half full (that tile mostly multiplies zeros).
        Case(n: 2, cin: 32, l: 40, cout: 32, k: 16, stride: 1, padLeft: 7, padRight: 8, groups: 2), // L = 40
        Case(n: 3, cin: 32, l: 16, cout: 32, k: 16, stride: 2, padLeft: 7, padRight: 7, groups: 2), // 16 → 8, downsampling
        Case(n: 2, cin: 16, l: 4, cout: 16, k: 16, stride: 1, padLeft: 7, padRight: 8, groups: 1), // L = 4
        // At most 8 positions inside the kernel's reach: only the nonzero columns are visited (correlateShort).
        Case(n: 3, cin: 32, l: 8, cout: 32, k: 16, stride: 1, padLeft: 7, padRight: 8, groups: 2), // L = 8
        Case(n: 2, cin: 16, l: 1, cout: 16, k: 16, stride: 1, padLeft: 7, padRight: 8, groups: 1), // L = 1
        Case(n: 2, cin: 10, l: 6, cout: 12, k: 16, stride: 1, padLeft: 7, padRight: 8, groups: 2), // 5 in, 6 out per group
        Case(n: 2, cin: 16, l: 6, cout: 16, k: 16, stride: 1, padLeft: 3, padRight: 12, groups: 1), // too little left padding
        // Longer than one 256-position chunk of the weight gradient, stride 1 and 2.
        Case(n: 1, cin: 16, l: 300, cout: 16, k: 16, stride: 1, padLeft: 7, padRight: 8, groups: 1),
        Case(n: 1, cin: 16, l: 600, cout: 16, k: 16, stride: 2, padLeft: 7, padRight: 7, groups: 1)
    ]

    /// `out[s][co][t] = b[co] + Σ_ci Σ_j w[co][ci][j] · x[s][g·cinG + ci][t·stride + j − padLeft]`.
    static func reference(_ c: Case, x: [Float], w: [Float], b: [Float], lout: Int) -> [Double] {
        let cinG = c.cin / c.groups, coutG = c.cout / c.groups
        var out = [Double](repeating: 0, count: c.n * c.cout * lout)
        for s in 0..<c.n {
            for co in 0..<c.cout {
                for t in 0..<lout {
                    let g = co / coutG
                    var acc = Double(b[co])
                    for ci in 0..<cinG {
                        for j in 0..<c.k {
                            let i = t * c.stride + j - c.padLeft
                            if i >= 0 && i < c.l {
                                acc += Double(w[(co * cinG + ci) * c.k + j]) * Double(x[(s * c.cin + g * cinG + ci) * c.l + i])
                            }
                        }
                    }
                    out[(s * c.cout + co) * lout + t] = acc
                }
            }
        }
        return out
    }

    static func maxError(_ got: Tensor, _ want: [Double]) -> Double {
        let scale = max(1, want.map(abs).max() ?? 1)
        return zip(got.values, want).map { abs(Double($0) - $1) }.max()! / scale
    }

    @Test(arguments: cases)
    func matchesPlainLoops(_ c: Case) throws {
        var rng = SeededRandom(seed: 11)
        let x = try Tensor.randn([c.n, c.cin, c.l], rng: &rng)
        let w = try Tensor.randn([c.cout, c.cin / c.groups, c.k], rng: &rng)
        let b = try Tensor.randn([c.cout], rng: &rng)
        for t in [x, w, b] { t.requiresGrad = true }
        let y = try Tensor.conv1d(
            x, weight: w, bias: b, stride: c.stride, padLeft: c.padLeft, padRight: c.padRight,
            groups: c.groups)
        let lout = y.shape[2]
        #expect(lout == (c.l + c.padLeft + c.padRight - c.k) / c.stride + 1)
        let xs = x.values, ws = w.values, bs = b.values
        #expect(Self.maxError(y, Self.reference(c, x: xs, w: ws, b: bs, lout: lout)) < 1e-5)

        // Gradients of Σ y·r are the derivatives of the (linear) reference: probe each by linearity.
        let r = try Tensor.randn(y.shape, rng: &rng)
        try y.mul(r).sum().backward()
        let rs = r.values.map(Double.init)
        func dot(_ out: [Double]) -> Double { zip(out, rs).map(*).reduce(0, +) }
        let base = dot(Self.reference(c, x: xs, w: ws, b: [Float](repeating: 0, count: c.cout), lout: lout))
        // d/dθ of a linear function is exact under a unit perturbation of θ (x, w enter bilinearly).
        func check(_ grad: Tensor?, _ count: Int, _ perturbed: (Int) -> [Double], _ name: String) {
            guard let grad else { Issue.record("no gradient for \(name)"); return }
            let g = grad.values
            var worst = 0.0
            for i in stride(from: 0, to: count, by: max(1, count / 60)) {
                worst = max(worst, abs((dot(perturbed(i)) - base) - Double(g[i])) / max(1, abs(Double(g[i]))))
            }
            #expect(worst < 1e-4, "\(name) gradient differs by \(worst)")
        }
        let zeroBias = [Float](repeating: 0, count: c.cout)
        check(
            x.grad, xs.count,
            { i in
                var p = xs; p[i] += 1; return Self.reference(c, x: p, w: ws, b: zeroBias, lout: lout)
            }, "input")
        check(
            w.grad, ws.count,
            { i in
                var p = ws; p[i] += 1; return Self.reference(c, x: xs, w: p, b: zeroBias, lout: lout)
            }, "weight")
        check(
            b.grad, bs.count,
            { i in
                var p = zeroBias; p[i] = 1; return Self.reference(c, x: xs, w: ws, b: p, lout: lout)
            }, "bias")
    }

    /// `correlate` against a double-precision sum for every count up to 3 tiles, so that each kind of last tile is met
    /// (full, partial, and on AVX2 the 8-wide one for a remainder of at most 8), with 1–16 output rows; values beyond
    /// `count` in each output row and the rows beyond `outRows` keep what was there.
    @Test func correlateEqualsPlainSum() {
        var rng = SeededRandom(seed: 17)
        let rows = 3, taps = 5, ldo = 56, sentinel: Float = 12_345
        let w = (0..<(rows * taps * 16)).map { _ in Float(rng.normal()) }
        let initial = (0..<16).map { _ in Float(rng.normal()) }
        for count in 1...48 {
            let ldx = (count + 15) / 16 * 16 + taps + 3
            let x = (0..<(rows * ldx)).map { _ in Float(rng.normal()) }
            for outRows in [1, 5, 8, 9, 13, 16] {
                var out = [Float](repeating: sentinel, count: 16 * ldo)
                ConvKernels.correlate(
                    x: x, ldx: ldx, rows: rows, taps: taps, w: w, initial: initial, out: &out, ldo: ldo, outRows: outRows,
                    count: count)
                var worst = 0.0, untouched = true
                for c in 0..<16 {
                    for t in 0..<ldo {
                        let got = out[c * ldo + t]
                        guard c < outRows && t < count else {
                            untouched = untouched && got == sentinel
                            continue
                        }
                        var want = Double(initial[c])
                        for r in 0..<rows {
                            for u in 0..<taps { want += Double(w[(r * taps + u) * 16 + c]) * Double(x[r * ldx + t + u]) }
                        }
                        worst = max(worst, abs(Double(got) - want))
                    }
                }
                #expect(worst < 1e-4, "count \(count), \(outRows) rows: off by \(worst)")
                #expect(untouched, "count \(count), \(outRows) rows: wrote outside the output")
            }
        }
    }

    /// `correlateShort` visits only the nonzero columns and gives bit for bit what `correlate` gives over every
    /// tap (the same nonzero terms in the same order, each a fused multiply-add), for every column range it accepts.
    @Test func shortKernelEqualsEveryTap() {
        var rng = SeededRandom(seed: 13)
        let rows = 5, taps = 16, ldx = 32, outRows = 11
        let w = (0..<(rows * taps * 16)).map { _ in Float(rng.normal()) }
        let initial = (0..<16).map { _ in Float(rng.normal()) }
        for count in 1...8 {
            for lo in 7..<taps {
                for hi in (lo + 1)...taps {
                    let valid = lo..<hi
                    #expect(ConvKernels.fitsShort(count: count, taps: taps, valid: valid) == ConvKernels.wideVectors)
                    var x = [Float](repeating: 0, count: rows * ldx)
                    for r in 0..<rows { for j in valid { x[r * ldx + j] = Float(rng.normal()) } }
                    var short = [Float](repeating: 0, count: outRows * 8), every = short
                    ConvKernels.correlateShort(
                        x: x, ldx: ldx, rows: rows, taps: taps, w: w, initial: initial, out: &short, ldo: 8, outRows: outRows,
                        count: count, valid: valid)
                    ConvKernels.correlate( // no `valid`: every tap, in tiles of 16 positions
                        x: x, ldx: ldx, rows: rows, taps: taps, w: w, initial: initial, out: &every, ldo: 8, outRows: outRows,
                        count: count)
                    // The narrow build's `correlate` rounds each product before adding it (no FMA), `correlateShort`
                    // does not: there the two agree to rounding only.
                    let worst = zip(short, every).map { abs($0 - $1) }.max() ?? 0
                    #expect(ConvKernels.wideVectors ? short == every : worst < 1e-4, "count \(count), columns \(valid)")
                }
            }
        }
        #expect(!ConvKernels.fitsShort(count: 9, taps: 16, valid: 7..<9))
        #expect(!ConvKernels.fitsShort(count: 4, taps: 16, valid: 6..<9))
        #expect(!ConvKernels.fitsShort(count: 4, taps: 16, valid: 7..<17))
    }

    /// Input, weight, bias and an output-shaped probe `r` (gradients are taken of Σ y·r) for case `c`.
    static func operands(_ c: Case, seed: UInt64) throws -> (Tensor, Tensor, Tensor, Tensor) {
        var rng = SeededRandom(seed: seed)
        let x = try Tensor.randn([c.n, c.cin, c.l], rng: &rng)
        let w = try Tensor.randn([c.cout, c.cin / c.groups, c.k], rng: &rng)
        let b = try Tensor.randn([c.cout], rng: &rng)
        let r = try Tensor.randn([c.n, c.cout, (c.l + c.padLeft + c.padRight - c.k) / c.stride + 1], rng: &rng)
        return (x, w, b, r)
    }

    /// Swish on the input (`inputSwish: true`) gives exactly the values and gradients of `conv1d(x.swish(), …)`,
    /// with and without Swish on the output, in training and in inference: fused into the batched 1×1 layout
    /// (cases[8]) and through a buffer (the others).
    @Test(arguments: [cases[1], cases[2], cases[8], cases[9], cases[10]])
    func inputSwishEqualsSeparateSwish(_ c: Case) throws {
        let (x, w, b, r) = try Self.operands(c, seed: 14)
        for outputSwish in [false, true] {
            func run(fused: Bool) throws -> [[Float]] {
                let (xi, wi, bi) = (x.clone(), w.clone(), b.clone())
                for t in [xi, wi, bi] { t.requiresGrad = true }
                func conv(_ input: Tensor, _ weight: Tensor, _ bias: Tensor) throws -> Tensor {
                    try Tensor.conv1d(
                        fused ? input : input.swish(), weight: weight, bias: bias, stride: c.stride, padLeft: c.padLeft,
                        padRight: c.padRight, groups: c.groups, swish: outputSwish, inputSwish: fused)
                }
                let y = try conv(xi, wi, bi)
                try y.mul(r).sum().backward()
                let inference = try GradMode.withoutGrad { try conv(x, w, b) }
                return [y.values, inference.values, xi.grad?.values ?? [], wi.grad?.values ?? [], bi.grad?.values ?? []]
            }
            let fused = try run(fused: true), separate = try run(fused: false)
            for (i, name) in ["values", "inference values", "input gradient", "weight gradient", "bias gradient"].enumerated() {
                #expect(fused[i] == separate[i], "\(name), output Swish \(outputSwish)")
            }
        }
    }

    /// The fused Swish gives exactly the values and gradients of a separate `.swish()`.
    @Test(arguments: [cases[1], cases[2], cases[8], cases[9]])
    func fusedSwishEqualsSeparateSwish(_ c: Case) throws {
        let (x, w, b, r) = try Self.operands(c, seed: 12)
        func run(fused: Bool) throws -> [[Float]] {
            let (xi, wi, bi) = (x.clone(), w.clone(), b.clone())
            for t in [xi, wi, bi] { t.requiresGrad = true }
            let y =
                fused
                ? try Tensor.conv1d(
                    xi, weight: wi, bias: bi, stride: c.stride, padLeft: c.padLeft, padRight: c.padRight,
                    groups: c.groups, swish: true)
                : try Tensor.conv1d(
                    xi, weight: wi, bias: bi, stride: c.stride, padLeft: c.padLeft, padRight: c.padRight,
                    groups: c.groups
                ).swish()
            try y.mul(r).sum().backward()
            let inference = try GradMode.withoutGrad {
                try Tensor.conv1d(
                    x, weight: w, bias: b, stride: c.stride, padLeft: c.padLeft, padRight: c.padRight,
                    groups: c.groups, swish: fused)
            }
            return [
                y.values, fused ? inference.values : inference.swish().values,
                xi.grad?.values ?? [], wi.grad?.values ?? [], bi.grad?.values ?? []
            ]
        }
        let fused = try run(fused: true), separate = try run(fused: false)
        #expect(fused[0] == separate[0])
        #expect(fused[1] == separate[1])
        #expect(fused[2] == separate[2] && fused[3] == separate[3] && fused[4] == separate[4])
    }
}

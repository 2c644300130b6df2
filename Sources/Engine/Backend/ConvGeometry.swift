import Foundation

/// The arithmetic of one grouped 1-D convolution, forward and backward. A 1×1 stride-1 unpadded
/// convolution is a matrix product per sample and group (the input already is the matrix) and runs
/// on BLAS, for short signals over the whole batch at once (`PointwiseConv`); every other one runs on
/// the direct kernels of `DirectConv`.
struct ConvGeometry {
    let n, cin, l, cout, k, stride, padLeft, groups, lout: Int

    var cinG: Int { cin / groups }
    var coutG: Int { cout / groups }
    var rowsG: Int { cinG * k }
    var isPointwise: Bool { k == 1 && stride == 1 && padLeft == 0 && lout == l }

    /// Worker stripes over samples: each worker takes a contiguous range of samples. With one
    /// sample the GEMMs themselves are split across workers instead.
    private var stripes: Int { Swift.min(Parallel.workers, n) }

    @inline(__always)
    private func gemm(
        _ parallel: Bool, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if parallel {
            BLAS.sgemmParallel(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        } else {
            BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    private func forEachStripe(_ body: (Range<Int>, Int, Bool) -> Void) {
        let t = stripes
        if t <= 1 { body(0..<n, 0, true); return }
        Parallel.run(t) { i in body((i * n / t)..<((i + 1) * n / t), i, false) }
    }

    /// The convolution into `out`; with `activated`, also its Swish there (in place when it is `out`). With
    /// `inputSwish` (only where `batchesSamples`), the convolution of `swish(x)`; with `laidOut` (cin × n·l,
    /// only where `batchesSamples`), the batch's channel-major input kept there for `backward`.
    func forward(
        x: UnsafePointer<Float>, w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        out: UnsafeMutablePointer<Float>, activated: UnsafeMutablePointer<Float>? = nil, inputSwish: Bool = false,
        laidOut: UnsafeMutablePointer<Float>? = nil
    ) {
        precondition((!inputSwish && laidOut == nil) || batchesSamples, "only the batched 1x1 product lays its input out")
        if !isPointwise { forwardDirect(x: x, w: w, bias: bias, out: out, activated: activated); return }
        if batchesSamples {
            forwardBatched(x: x, w: w, bias: bias, out: out, activated: activated, inputSwish: inputSwish, laidOut: laidOut)
            return
        }
        forEachStripe { samples, _, parallel in
            for s in samples {
                for g in 0..<groups {
                    let og = out + (s * cout + g * coutG) * lout
                    if let bias {
                        for o in 0..<coutG { (og + o * lout).update(repeating: bias[g * coutG + o], count: lout) }
                    }
                    gemm(
                        parallel, transA: false, transB: false, m: coutG, n: lout, k: rowsG, a: w + g * coutG * rowsG,
                        lda: rowsG, b: x + (s * cin + g * cinG) * l, ldb: lout, beta: bias == nil ? 0 : 1, c: og, ldc: lout)
                }
                if let activated {
                    let offset = s * cout * lout
                    SwishKernels.swish(out + offset, into: activated + offset, count: cout * lout)
                }
            }
        }
    }

    /// Adds the bias gradient (the output gradient summed over samples and positions) into `gb`. Each
    /// channel is summed in 16 lanes (positions t ≡ lane mod 16, samples in order), then the lanes in a
    /// fixed order: the result does not depend on the number of workers. (A single running sum was bound
    /// by the latency of each addition: 13 ms of an ECGFounder training step.)
    private func biasGradient(_ gOut: UnsafePointer<Float>, _ gb: UnsafeMutablePointer<Float>) {
        Parallel.forEachChunk(cout, grain: Swift.max(1, 65_536 / Swift.max(1, n * lout))) { channels in
            for c in channels {
                var sum = LaneSum()
                for s in 0..<n { sum.add(gOut + (s * cout + c) * lout, count: lout) }
                gb[c] += sum.total
            }
        }
    }

    /// Whether `backward` writes every weight-gradient value instead of adding to it (the batched 1×1
    /// product runs with beta 0): the caller then need not zero the buffer, one pass over the weights less.
    var writesWeightGradient: Bool { batchesSamples }

    /// Gradients for the input (written), the weight (added; written when `writesWeightGradient`) and the
    /// bias (added), each only where asked for; `gx` with respect to the input the forward pass convolved.
    /// Where `batchesSamples`, the weight gradient reads the channel-major input `forward` kept in `laidOut`.
    func backward(
        x: UnsafePointer<Float>, w: UnsafePointer<Float>, gOut: UnsafePointer<Float>,
        gx: UnsafeMutablePointer<Float>?, gw: UnsafeMutablePointer<Float>?, gb: UnsafeMutablePointer<Float>?,
        laidOut: UnsafePointer<Float>? = nil
    ) {
        if let gb { biasGradient(gOut, gb) }
        if !isPointwise {
            if let gx { inputGradientDirect(w: w, gOut: gOut, gx: gx) }
            if let gw { weightGradientDirect(x: x, gOut: gOut, gw: gw) }
            return
        }
        if batchesSamples {
            backwardBatched(w: w, gOut: gOut, gx: gx, gw: gw, laidOut: laidOut)
            return
        }
        let wCount = cout * rowsG
        let t = stripes
        // Worker 0 accumulates straight into gw; the others into private buffers summed after.
        let privateW = (gw != nil && t > 1) ? UnsafeMutablePointer<Float>.allocate(capacity: (t - 1) * wCount) : nil
        privateW?.initialize(repeating: 0, count: (t - 1) * wCount)
        defer { privateW?.deallocate() }
        forEachStripe { samples, worker, parallel in
            let myW = worker == 0 ? gw : privateW.map { $0 + (worker - 1) * wCount }
            for s in samples {
                for g in 0..<groups {
                    let xg = x + (s * cin + g * cinG) * l
                    let gog = gOut + (s * cout + g * coutG) * lout
                    if let myW { // dW_g += dOut_g · X_gᵀ
                        gemm(
                            parallel, transA: false, transB: true, m: coutG, n: rowsG, k: lout, a: gog, lda: lout,
                            b: xg, ldb: lout, beta: 1, c: myW + g * coutG * rowsG, ldc: rowsG)
                    }
                    if let gx { // dX_g = W_gᵀ · dOut_g
                        gemm(
                            parallel, transA: true, transB: false, m: rowsG, n: lout, k: coutG, a: w + g * coutG * rowsG,
                            lda: rowsG, b: gog, ldb: lout, beta: 0, c: gx + (s * cin + g * cinG) * l, ldc: lout)
                    }
                }
            }
        }
        if t > 1, let gw, let privateW {
            for i in 0..<(t - 1) { for j in 0..<wCount { gw[j] += privateW[i * wCount + j] } }
        }
    }
}

extension ConvGeometry {
    /// The geometry of a convolution padded by `padLeft` and `padRight` (the output length follows; the padded
    /// length must be at least `k`).
    init(n: Int, cin: Int, l: Int, cout: Int, k: Int, stride: Int, padLeft: Int, padRight: Int, groups: Int) {
        self.init(
            n: n, cin: cin, l: l, cout: cout, k: k, stride: stride, padLeft: padLeft, groups: groups,
            lout: (l + padLeft + padRight - k) / stride + 1)
    }
}

import Foundation

/// The arithmetic of one grouped 1-D convolution: im2col + GEMM per sample and group, forward and
/// backward. 1×1 stride-1 unpadded convolutions skip im2col (the input is already the matrix).
struct ConvGeometry {
    let n, cin, l, cout, k, stride, padLeft, groups, lout: Int

    var cinG: Int { cin / groups }
    var coutG: Int { cout / groups }
    var rowsG: Int { cinG * k }
    var isPointwise: Bool { k == 1 && stride == 1 && padLeft == 0 && lout == l }

    /// Fills `cols` (rowsG × lout) for one sample and group from `x` (cinG × l).
    func im2col(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>) {
        for c in 0..<cinG {
            let src = x + c * l
            for j in 0..<k {
                let row = cols + (c * k + j) * lout
                let (lo, hi) = validRange(j)
                if lo > 0 { row.update(repeating: 0, count: Swift.min(lo, lout)) }
                if hi < lout { (row + Swift.max(hi, 0)).update(repeating: 0, count: lout - Swift.max(hi, 0)) }
                if lo < hi {
                    if stride == 1 {
                        (row + lo).update(from: src + (lo + j - padLeft), count: hi - lo)
                    } else {
                        for t in lo..<hi { row[t] = src[t * stride + j - padLeft] }
                    }
                }
            }
        }
    }

    /// Adds `cols` (rowsG × lout) back into `dx` (cinG × l).
    func col2im(_ cols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>) {
        for c in 0..<cinG {
            let dst = dx + c * l
            for j in 0..<k {
                let row = cols + (c * k + j) * lout
                let (lo, hi) = validRange(j)
                if lo < hi { for t in lo..<hi { dst[t * stride + j - padLeft] += row[t] } }
            }
        }
    }

    /// Output positions `t` whose input index `t * stride + j - padLeft` lies inside `0..<l`.
    @inline(__always) func validRange(_ j: Int) -> (Int, Int) {
        let off = j - padLeft
        let lo = off >= 0 ? 0 : (-off + stride - 1) / stride
        let hiIdx = l - 1 - off
        let hi = hiIdx < 0 ? 0 : Swift.min(lout, hiIdx / stride + 1)
        return (Swift.min(lo, lout), hi)
    }

    /// Worker stripes over samples: each worker takes a contiguous range of samples. With one
    /// sample the GEMMs themselves are split across workers instead.
    private var stripes: Int { Swift.min(Parallel.workers, n) }

    @inline(__always)
    private func gemm(_ parallel: Bool, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if parallel {
            BLAS.sgemmParallel(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        } else {
            BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    private func forEachStripe(_ body: (Range<Int>, Int, Bool) -> Void) {
        let t = stripes
        if t <= 1 { body(0..<n, 0, true); return }
        DispatchQueue.concurrentPerform(iterations: t) { i in body((i * n / t)..<((i + 1) * n / t), i, false) }
    }

    func forward(x: UnsafePointer<Float>, w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 out: UnsafeMutablePointer<Float>) {
        forEachStripe { samples, _, parallel in
            let cols = isPointwise ? nil : UnsafeMutablePointer<Float>.allocate(capacity: rowsG * lout)
            defer { cols?.deallocate() }
            for s in samples {
                for g in 0..<groups {
                    let xg = x + (s * cin + g * cinG) * l
                    let og = out + (s * cout + g * coutG) * lout
                    let b: UnsafePointer<Float>
                    if let cols { im2col(xg, cols); b = UnsafePointer(cols) } else { b = xg }
                    if let bias {
                        for o in 0..<coutG { (og + o * lout).update(repeating: bias[g * coutG + o], count: lout) }
                    }
                    gemm(parallel, transA: false, transB: false, m: coutG, n: lout, k: rowsG, a: w + g * coutG * rowsG,
                         lda: rowsG, b: b, ldb: lout, beta: bias == nil ? 0 : 1, c: og, ldc: lout)
                }
            }
        }
    }

    func backward(x: UnsafePointer<Float>, w: UnsafePointer<Float>, gOut: UnsafePointer<Float>,
                  gx: UnsafeMutablePointer<Float>?, gw: UnsafeMutablePointer<Float>?, gb: UnsafeMutablePointer<Float>?) {
        let wCount = cout * rowsG
        let t = stripes
        // Worker 0 accumulates straight into gw / gb; the others into private buffers summed after.
        let privateW = (gw != nil && t > 1) ? UnsafeMutablePointer<Float>.allocate(capacity: (t - 1) * wCount) : nil
        let privateB = (gb != nil && t > 1) ? UnsafeMutablePointer<Float>.allocate(capacity: (t - 1) * cout) : nil
        privateW?.initialize(repeating: 0, count: (t - 1) * wCount)
        privateB?.initialize(repeating: 0, count: (t - 1) * cout)
        defer { privateW?.deallocate(); privateB?.deallocate() }
        forEachStripe { samples, worker, parallel in
            let myW = worker == 0 ? gw : privateW.map { $0 + (worker - 1) * wCount }
            let myB = worker == 0 ? gb : privateB.map { $0 + (worker - 1) * cout }
            let cols = (isPointwise || gw == nil) ? nil : UnsafeMutablePointer<Float>.allocate(capacity: rowsG * lout)
            let dcols = (gx != nil && !isPointwise) ? UnsafeMutablePointer<Float>.allocate(capacity: rowsG * lout) : nil
            defer { cols?.deallocate(); dcols?.deallocate() }
            for s in samples {
                for g in 0..<groups {
                    let xg = x + (s * cin + g * cinG) * l
                    let gog = gOut + (s * cout + g * coutG) * lout
                    if let myB {
                        for o in 0..<coutG {
                            var acc: Float = 0
                            let row = gog + o * lout
                            for t in 0..<lout { acc += row[t] }
                            myB[g * coutG + o] += acc
                        }
                    }
                    if let myW {  // dW_g += dOut_g · colsᵀ
                        let b: UnsafePointer<Float>
                        if let cols { im2col(xg, cols); b = UnsafePointer(cols) } else { b = xg }
                        gemm(parallel, transA: false, transB: true, m: coutG, n: rowsG, k: lout, a: gog, lda: lout,
                             b: b, ldb: lout, beta: 1, c: myW + g * coutG * rowsG, ldc: rowsG)
                    }
                    if let gx {  // dcols = W_gᵀ · dOut_g, scattered back into dx
                        let gxg = gx + (s * cin + g * cinG) * l
                        if let dcols {
                            gemm(parallel, transA: true, transB: false, m: rowsG, n: lout, k: coutG, a: w + g * coutG * rowsG,
                                 lda: rowsG, b: gog, ldb: lout, beta: 0, c: dcols, ldc: lout)
                            col2im(dcols, gxg)
                        } else {
                            gemm(parallel, transA: true, transB: false, m: rowsG, n: lout, k: coutG, a: w + g * coutG * rowsG,
                                 lda: rowsG, b: gog, ldb: lout, beta: 1, c: gxg, ldc: lout)
                        }
                    }
                }
            }
        }
        if t > 1 {
            if let gw, let privateW { for i in 0..<(t - 1) { for j in 0..<wCount { gw[j] += privateW[i * wCount + j] } } }
            if let gb, let privateB { for i in 0..<(t - 1) { for j in 0..<cout { gb[j] += privateB[i * cout + j] } } }
        }
    }
}

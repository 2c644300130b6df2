/// 1×1 convolutions over short signals as one matrix product for the whole batch.
///
/// Per sample, a 1×1 convolution is `W (cout × cin) · X_s (cin × L)`. When L is short (the deep stages
/// of Net1D: L = 4…313 with 400–1024 channels) BLAS would pack the whole weight matrix for each
/// sample and use it for only L columns. Here the batch is first laid out channel-major,
/// `(C, N·L)`, so each product packs the weights once and has N·L columns; the layout change costs
/// one copy of the input and one of the output, small next to the C² · N·L arithmetic.
extension ConvGeometry {
    /// Whether the pointwise product runs on the channel-major layout of the whole batch.
    var batchesSamples: Bool { isPointwise && n > 1 && lout < 512 }

    /// `(n, c, l)` → `(c, n·l)`, into `dst` or (when nil) a new buffer the caller deallocates; with `swish`,
    /// Swish of each value on the way (the same function as `.swish()`).
    func toChannelMajor(
        _ src: UnsafePointer<Float>, channels c: Int, swish: Bool = false, into given: UnsafeMutablePointer<Float>? = nil
    ) -> UnsafeMutablePointer<Float> {
        let dst = given ?? UnsafeMutablePointer<Float>.allocate(capacity: c * n * l)
        // Swish per sample's row where it is at least one vector long; on short rows (L < 16, whose Swish ran on the
        // scalar path) over the channel's whole laid-out row (n·l values) after the copies.
        let rowSwish = swish && l < 16
        Parallel.forEachChunk(c, grain: Swift.max(1, 16_384 / Swift.max(1, n * l))) { rows in
            for ch in rows {
                for s in 0..<n {
                    let to = dst + (ch * n + s) * l, from = src + (s * c + ch) * l
                    if swish && !rowSwish {
                        SwishKernels.swish(from, into: to, count: l)
                    } else {
                        ShortCopy.copy(from, to: to, count: l)
                    }
                }
                if rowSwish { SwishKernels.swish(dst + ch * n * l, into: dst + ch * n * l, count: n * l) }
            }
        }
        return dst
    }

    /// `(c, n·l)` → `(n, c, l)` plus `bias[ch]` when given, and its Swish into `activated` when given (`activated`
    /// may be `dst`: then only the Swish is written). Each channel's row of `src` (n·l values, contiguous) gets its
    /// bias in place and its Swish into a buffer of the worker's in one pass, and both are then copied out:
    /// the output is written once, where copying it out first and applying Swish over it after read and wrote it
    /// twice more. (Swish per row of 4–40 values in the output was mostly loop overhead.) `src` is overwritten.
    func fromChannelMajor(
        _ src: UnsafeMutablePointer<Float>, channels c: Int, into dst: UnsafeMutablePointer<Float>,
        bias: UnsafePointer<Float>? = nil, activated: UnsafeMutablePointer<Float>? = nil
    ) {
        let cols = n * l
        Parallel.forEachChunk(c, grain: Swift.max(1, 16_384 / Swift.max(1, cols))) { rows in
            let swished = activated == nil ? nil : UnsafeMutablePointer<Float>.allocate(capacity: cols)
            defer { swished?.deallocate() }
            for ch in rows {
                let row = src + ch * cols
                if let swished, let bias {
                    SwishKernels.swish(row, adding: bias[ch], into: swished, count: cols)
                } else if let swished {
                    SwishKernels.swish(row, into: swished, count: cols)
                } else if let bias {
                    let b = bias[ch]
                    for t in 0..<cols { row[t] += b }
                }
                for s in 0..<n {
                    let to = (s * c + ch) * l
                    if activated != dst { ShortCopy.copy(row + s * l, to: dst + to, count: l) }
                    if let activated, let swished { ShortCopy.copy(swished + s * l, to: activated + to, count: l) }
                }
            }
        }
    }

    /// With `laidOut` (cin × n·l), the input's channel-major layout (Swish applied when `inputSwish`) is
    /// written there and left for `backwardBatched`, which then need not build it again.
    func forwardBatched(
        x: UnsafePointer<Float>, w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        out: UnsafeMutablePointer<Float>, activated: UnsafeMutablePointer<Float>?, inputSwish: Bool,
        laidOut: UnsafeMutablePointer<Float>?
    ) {
        let cols = n * l
        let xb = toChannelMajor(x, channels: cin, swish: inputSwish, into: laidOut)
        let ob = UnsafeMutablePointer<Float>.allocate(capacity: cout * cols)
        defer {
            if laidOut == nil { xb.deallocate() }
            ob.deallocate()
        }
        // The bias is added while the product is copied back (not filled in beforehand for the product
        // to read): one pass over the output fewer.
        for g in 0..<groups {
            BLAS.sgemmParallel(
                transA: false, transB: false, m: coutG, n: cols, k: cinG, a: w + g * coutG * cinG, lda: cinG,
                b: xb + g * cinG * cols, ldb: cols, beta: 0, c: ob + g * coutG * cols, ldc: cols)
        }
        fromChannelMajor(ob, channels: cout, into: out, bias: bias, activated: activated)
    }

    /// Input gradient written into `gx`, weight gradient written into `gw` from the channel-major input
    /// `forwardBatched` kept in `laidOut` (required with `gw`).
    func backwardBatched(
        w: UnsafePointer<Float>, gOut: UnsafePointer<Float>, gx: UnsafeMutablePointer<Float>?,
        gw: UnsafeMutablePointer<Float>?, laidOut: UnsafePointer<Float>?
    ) {
        let cols = n * l
        let gb = toChannelMajor(gOut, channels: cout)
        defer { gb.deallocate() }
        if let gw {
            guard let xb = laidOut else { preconditionFailure("the weight gradient needs the input laid out by forwardBatched") }
            for g in 0..<groups {
                BLAS.sgemmParallel(
                    transA: false, transB: true, m: coutG, n: cinG, k: cols, a: gb + g * coutG * cols, lda: cols,
                    b: xb + g * cinG * cols, ldb: cols, beta: 0, c: gw + g * coutG * cinG, ldc: cinG)
            }
        }
        if let gx {
            let gxb = UnsafeMutablePointer<Float>.allocate(capacity: cin * cols)
            defer { gxb.deallocate() }
            for g in 0..<groups {
                BLAS.sgemmParallel(
                    transA: true, transB: false, m: cinG, n: cols, k: coutG, a: w + g * coutG * cinG, lda: cinG,
                    b: gb + g * coutG * cols, ldb: cols, beta: 0, c: gxb + g * cinG * cols, ldc: cols)
            }
            fromChannelMajor(gxb, channels: cin, into: gx)
        }
    }
}

/// The two register-blocked kernels of the direct convolution (see `DirectConv`), written with
/// 16-float vectors: one AVX-512 register each when the engine is compiled for such a CPU (see
/// Package.swift), two AVX registers on AVX2. A build for a CPU without AVX (`ECGS_NARROW_VECTORS`)
/// uses 4-float vectors, so the 16 accumulators still fit in its registers (16-float ones spilled
/// to memory and ran 40× slower).
///
/// Both keep 16 accumulators in registers and do 16 fused multiply-adds per vector load, which is
/// what lets a grouped convolution with 16 channels per group run near the CPU's peak instead of
/// at the speed of copying an im2col matrix (OpenBLAS packs that matrix for every product, and a
/// product with 16 rows does too little arithmetic per packed element to pay for it).
enum ConvKernels {
    #if ECGS_NARROW_VECTORS
        typealias V = SIMD4<Float>
    #else
        typealias V = SIMD16<Float>
    #endif
    @inline(__always) static var width: Int { V.scalarCount }
    /// Whether this build uses 16-float vectors (false in the narrow build).
    static var wideVectors: Bool { V.scalarCount == 16 }
    /// Whether the 16 accumulators of 16 floats run as passes (AVX2: each is two of its 16 registers); a constant.
    @inline(__always) static var splitsAccumulators: Bool { KernelBuild.instructionSet == .avx2 }

    /// `a += b · c`: one fused multiply-add where the target has FMA; a multiply and an add in the
    /// narrow build, whose baseline CPU has none (there `addProduct` became a libm `fmaf` call per lane).
    @inline(__always) static func mac(_ a: inout V, _ b: V, _ c: V) {
        #if ECGS_NARROW_VECTORS
            a += b * c
        #else
            a.addProduct(b, c)
        #endif
    }

    /// For every `t < count` and `c < outRows` (at most 16):
    /// `out[c·ldo + t] = initial[c] + Σ_{r < rows} Σ_{u < taps} w[(r·taps + u)·16 + c] · x[r·ldx + t + u]`.
    /// `w` holds 16 values per (r, u), the lanes beyond `outRows` ignored. Each row of `x` must be
    /// readable up to index `roundUp(count, 16) + taps - 2`. Tiles of `width` positions; on AVX2 a last tile of at most 8
    /// positions runs 8 wide (`correlateHalfTile`). A kernel with the 16 output rows as lanes and 8-position tiles
    /// (8 accumulators) did fewer multiply-adds at L = 20 and 40 but took longer (measured 2026-11-30, `ecgs-bench
    /// --conv` with 1024 channels in 64 groups, k = 16, batch 8: forward at L = 40 1.6 → 1.1 ms, L = 56 5.3 → 3.2 ms,
    /// training step at L = 40 5.6 → 4.2 ms; L = 12 and 24 equal), and was removed.
    /// `valid`, when given, holds every column of `x` that may be nonzero (the rest are zero padding): a
    /// signal of at most 8 positions whose taps all overlap it runs as `correlateShort`.
    static func correlate(
        x: UnsafePointer<Float>, ldx: Int, rows: Int, taps: Int, w: UnsafePointer<Float>,
        initial: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>, ldo: Int,
        outRows: Int, count: Int, valid: Range<Int>? = nil
    ) {
        if let valid, fitsShort(count: count, taps: taps, valid: valid) {
            correlateShort(
                x: x, ldx: ldx, rows: rows, taps: taps, w: w, initial: initial, out: out, ldo: ldo, outRows: outRows, count: count,
                valid: valid)
            return
        }
        var start = SIMD16<Float>() // the initial value of each of the 16 output rows
        if let initial { for c in 0..<outRows { start[c] = initial[c] } }
        // A partial last tile goes through `tail` (on the stack) so that no store runs past `count`.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * width) { buffer in
            let tail = buffer.baseAddress!
            var t0 = 0
            while t0 < count {
                // On AVX2 a last tile of at most 8 positions is 8 wide (`correlateHalfTile`).
                let half = splitsAccumulators && count - t0 <= 8
                let tileWidth = half ? 8 : width
                let full = t0 + tileWidth <= count
                let dst = full ? out + t0 : tail
                let ld = full ? ldo : tileWidth
                let xt = x + t0
                if half {
                    correlateHalfTile(xt, ldx, rows, taps, w, start, dst, ld, outRows)
                } else if splitsAccumulators {
                    // 16 accumulators of two AVX registers each would be 32 registers of AVX2's 16: rows 0–5, 6–11, 12–15
                    // in turn (12 registers at most), each pass reading the tile's inputs again from L1.
                    correlateRows(Six.self, 0, xt, ldx, rows, taps, w, start, dst, ld, outRows)
                    if outRows > 6 { correlateRows(Six.self, 6, xt, ldx, rows, taps, w, start, dst, ld, outRows) }
                    if outRows > 12 { correlateRows(Four.self, 12, xt, ldx, rows, taps, w, start, dst, ld, outRows) }
                } else {
                    correlateRows(Sixteen.self, 0, xt, ldx, rows, taps, w, start, dst, ld, outRows)
                }
                if !full {
                    for c in 0..<outRows { (out + c * ldo + t0).update(from: tail + c * tileWidth, count: count - t0) }
                }
                t0 += tileWidth
            }
        }
    }

    /// `correlate`'s last tile where it holds at most 8 positions, on AVX2: one 8-float register per row, rows 0–7 then
    /// 8–15 (8 accumulators each), instead of a 16-position tile whose upper half multiplies padding. At the deep stages'
    /// L = 20 and 40 that is 24 and 40 positions computed instead of 32 and 48. Arguments as `correlateRows`'s, `x` and
    /// `out` at the tile. Not inlined: inlined into the convolutions' large loops, its vector loads were left as calls
    /// and its accumulators spilled around them.
    @inline(never)
    static func correlateHalfTile(
        _ x: UnsafePointer<Float>, _ ldx: Int, _ rows: Int, _ taps: Int, _ w: UnsafePointer<Float>, _ start: SIMD16<Float>,
        _ out: UnsafeMutablePointer<Float>, _ ldo: Int, _ outRows: Int
    ) {
        correlateEightRows(0, x, ldx, rows, taps, w, start, out, ldo, outRows)
        if outRows > 8 { correlateEightRows(8, x, ldx, rows, taps, w, start, out, ldo, outRows) }
    }

    /// One pass of `correlateHalfTile`: 8 positions of the output rows `first ..< first + 8` (those below `outRows`
    /// stored), `correlateRows`'s sums on 8-float vectors. Its own function with concrete types rather than
    /// `correlateRows` made generic over the vector type: with that, the release build was fine, but in the debug build
    /// (the engine compiled `-O` file by file, see Package.swift) `make test`'s notebook runs were still going after
    /// 10 minutes, where the whole suite takes about 4½. Why was not established; this form passes in 4.
    @inline(__always)
    static func correlateEightRows(
        _ first: Int, _ x: UnsafePointer<Float>, _ ldx: Int, _ rows: Int, _ taps: Int, _ w: UnsafePointer<Float>,
        _ start: SIMD16<Float>, _ out: UnsafeMutablePointer<Float>, _ ldo: Int, _ outRows: Int
    ) {
        typealias H = SIMD8<Float>
        var a0 = H(repeating: start[first]), a1 = H(repeating: start[first + 1]), a2 = H(repeating: start[first + 2])
        var a3 = H(repeating: start[first + 3]), a4 = H(repeating: start[first + 4]), a5 = H(repeating: start[first + 5])
        var a6 = H(repeating: start[first + 6]), a7 = H(repeating: start[first + 7])
        var wp = w + first
        for r in 0..<rows {
            let xr = x + r * ldx
            for u in 0..<taps {
                let xv = UnsafeRawPointer(xr + u).loadUnaligned(as: H.self)
                a0.addProduct(H(repeating: wp[0]), xv)
                a1.addProduct(H(repeating: wp[1]), xv)
                a2.addProduct(H(repeating: wp[2]), xv)
                a3.addProduct(H(repeating: wp[3]), xv)
                a4.addProduct(H(repeating: wp[4]), xv)
                a5.addProduct(H(repeating: wp[5]), xv)
                a6.addProduct(H(repeating: wp[6]), xv)
                a7.addProduct(H(repeating: wp[7]), xv)
                wp += 16
            }
        }
        @inline(__always) func put(_ i: Int, _ v: H) {
            if first + i < outRows { UnsafeMutableRawPointer(out + (first + i) * ldo).storeBytes(of: v, as: H.self) }
        }
        put(0, a0); put(1, a1); put(2, a2); put(3, a3); put(4, a4); put(5, a5); put(6, a6); put(7, a7)
    }

    /// One tile of `correlate` (arguments in its order) for the output rows `first ..< first + n`: `out[i·ldo + t] = start[first + i] +
    /// Σ_r Σ_u w[(r·taps + u)·16 + first + i] · x[r·ldx + t + u]` for `t < width`, stored for the rows below `outRows`.
    /// `n` (`Count.n`) is a type's constant, so that each specialisation builds only its accumulators: as a plain
    /// argument the call was not inlined, and every accumulator was kept, spilled to memory, behind a test.
    @inline(__always)
    static func correlateRows<Count: KernelCount>(
        _: Count.Type, _ first: Int, _ x: UnsafePointer<Float>, _ ldx: Int, _ rows: Int, _ taps: Int, _ w: UnsafePointer<Float>,
        _ start: SIMD16<Float>, _ out: UnsafeMutablePointer<Float>, _ ldo: Int, _ outRows: Int
    ) {
        let n = Count.n
        @inline(__always) func initial(_ i: Int) -> V { i < n ? V(repeating: start[first + i]) : V() }
        var a0 = initial(0), a1 = initial(1), a2 = initial(2), a3 = initial(3), a4 = initial(4), a5 = initial(5)
        var a6 = initial(6), a7 = initial(7), a8 = initial(8), a9 = initial(9), a10 = initial(10), a11 = initial(11)
        var a12 = initial(12), a13 = initial(13), a14 = initial(14), a15 = initial(15)
        var wp = w + first
        for r in 0..<rows {
            let xr = x + r * ldx
            for u in 0..<taps {
                let xv = UnsafeRawPointer(xr + u).loadUnaligned(as: V.self)
                mac(&a0, V(repeating: wp[0]), xv)
                if n > 1 { mac(&a1, V(repeating: wp[1]), xv) }
                if n > 2 { mac(&a2, V(repeating: wp[2]), xv) }
                if n > 3 { mac(&a3, V(repeating: wp[3]), xv) }
                if n > 4 { mac(&a4, V(repeating: wp[4]), xv) }
                if n > 5 { mac(&a5, V(repeating: wp[5]), xv) }
                if n > 6 { mac(&a6, V(repeating: wp[6]), xv) }
                if n > 7 { mac(&a7, V(repeating: wp[7]), xv) }
                if n > 8 { mac(&a8, V(repeating: wp[8]), xv) }
                if n > 9 { mac(&a9, V(repeating: wp[9]), xv) }
                if n > 10 { mac(&a10, V(repeating: wp[10]), xv) }
                if n > 11 { mac(&a11, V(repeating: wp[11]), xv) }
                if n > 12 { mac(&a12, V(repeating: wp[12]), xv) }
                if n > 13 { mac(&a13, V(repeating: wp[13]), xv) }
                if n > 14 { mac(&a14, V(repeating: wp[14]), xv) }
                if n > 15 { mac(&a15, V(repeating: wp[15]), xv) }
                wp += 16
            }
        }
        @inline(__always) func put(_ i: Int, _ v: V) {
            if i < n && first + i < outRows { UnsafeMutableRawPointer(out + (first + i) * ldo).storeBytes(of: v, as: V.self) }
        }
        put(0, a0); put(1, a1); put(2, a2); put(3, a3); put(4, a4); put(5, a5); put(6, a6); put(7, a7)
        put(8, a8); put(9, a9); put(10, a10); put(11, a11); put(12, a12); put(13, a13); put(14, a14); put(15, a15)
    }

    /// Whether `correlateShort` applies: at most 8 outputs, and every nonzero column `j` of `x` is read by
    /// tap `j − i` of each of the 8 positions `i` (`7 ≤ j < taps`), so no tap index leaves the weights.
    /// Net1D's deepest stages (L = 4 and 8, k = 16, 7 zeros on the left) qualify, forward and backward.
    @inline(__always) static func fitsShort(count: Int, taps: Int, valid: Range<Int>) -> Bool {
        wideVectors && count <= 8 && valid.lowerBound >= 7 && valid.upperBound <= taps && !valid.isEmpty
    }

    /// `correlate` for one tile of at most 8 positions with the 16 output rows as the lanes (8 accumulators, one
    /// per position), looping over the nonzero columns of `x` instead of the taps: column `j` of row `r` adds
    /// `w[r][j − i] · x[r][j]` to position `i`. With the signal shorter than the kernel most taps read zero
    /// padding (at L = 4 and k = 16, 12 of 16); here only `valid.count` columns are visited per row (4× fewer
    /// multiply-adds at L = 4, 2× at L = 8).
    /// The nonzero terms are added in the same order as `correlate` adds them.
    static func correlateShort(
        x: UnsafePointer<Float>, ldx: Int, rows: Int, taps: Int, w: UnsafePointer<Float>,
        initial: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>, ldo: Int,
        outRows: Int, count: Int, valid: Range<Int>
    ) {
        typealias W = SIMD16<Float>
        var start = W()
        if let initial { for c in 0..<outRows { start[c] = initial[c] } }
        var a0 = start, a1 = start, a2 = start, a3 = start, a4 = start, a5 = start, a6 = start, a7 = start
        // At most 4 positions (L = 4): only those. Otherwise all 8 at once, or on AVX2 positions 0–3, then 4–7 (8 of its
        // 16 registers each; all 8 at once would need all 16 for the accumulators).
        if count > 4 && !splitsAccumulators {
            shortPositions(Eight.self, 0, x, ldx, rows, taps, w, valid, &a0, &a1, &a2, &a3, &a4, &a5, &a6, &a7)
        } else {
            shortPositions(Four.self, 0, x, ldx, rows, taps, w, valid, &a0, &a1, &a2, &a3, &a4, &a5, &a6, &a7)
            if count > 4 { shortPositions(Four.self, 4, x, ldx, rows, taps, w, valid, &a4, &a5, &a6, &a7, &a0, &a1, &a2, &a3) }
        }
        storeTransposed(a0, a1, a2, a3, a4, a5, a6, a7, positions: count, outRows: outRows, out: out, ldo: ldo)
    }

    /// `correlateShort`'s sums (arguments in its order) for the positions `first + i`, `i < Count.n`, into `a_i`
    /// (the others untouched).
    @inline(__always)
    static func shortPositions<Count: KernelCount>(
        _: Count.Type, _ first: Int, _ x: UnsafePointer<Float>, _ ldx: Int, _ rows: Int, _ taps: Int,
        _ w: UnsafePointer<Float>, _ valid: Range<Int>, _ a0: inout SIMD16<Float>, _ a1: inout SIMD16<Float>,
        _ a2: inout SIMD16<Float>, _ a3: inout SIMD16<Float>, _ a4: inout SIMD16<Float>, _ a5: inout SIMD16<Float>,
        _ a6: inout SIMD16<Float>, _ a7: inout SIMD16<Float>
    ) {
        typealias W = SIMD16<Float>
        let n = Count.n
        for r in 0..<rows {
            let xr = x + r * ldx, wr = UnsafeRawPointer(w + r * taps * 16)
            for j in valid {
                let xv = W(repeating: xr[j]), wj = wr + (j - first) * 64
                a0.addProduct(wj.loadUnaligned(as: W.self), xv)
                if n > 1 { a1.addProduct((wj - 64).loadUnaligned(as: W.self), xv) }
                if n > 2 { a2.addProduct((wj - 128).loadUnaligned(as: W.self), xv) }
                if n > 3 { a3.addProduct((wj - 192).loadUnaligned(as: W.self), xv) }
                if n > 4 { a4.addProduct((wj - 256).loadUnaligned(as: W.self), xv) }
                if n > 5 { a5.addProduct((wj - 320).loadUnaligned(as: W.self), xv) }
                if n > 6 { a6.addProduct((wj - 384).loadUnaligned(as: W.self), xv) }
                if n > 7 { a7.addProduct((wj - 448).loadUnaligned(as: W.self), xv) }
            }
        }
    }

    /// `dst[c] = src[c·stride]` for the 16 lanes `c`, stored as one vector: a 16-row transpose built a vector at
    /// a time (one value stored at a time, every store to another cache line, was 2–4× slower).
    @inline(__always)
    static func gatherLanes(_ src: UnsafePointer<Float>, stride: Int, into dst: UnsafeMutablePointer<Float>) {
        var v = SIMD16<Float>()
        for c in 0..<16 { v[c] = src[c * stride] }
        UnsafeMutableRawPointer(dst).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// Writes 8 vectors of 16 channels (one per position) to `out[c·ldo + i]` for `c < outRows`, `i < positions`:
    /// through a stack tile, since reading lane `c` of a vector with `c` unknown at compile time spilled the
    /// vector for every value.
    @inline(__always)
    static func storeTransposed(
        _ a0: SIMD16<Float>, _ a1: SIMD16<Float>, _ a2: SIMD16<Float>, _ a3: SIMD16<Float>, _ a4: SIMD16<Float>,
        _ a5: SIMD16<Float>, _ a6: SIMD16<Float>, _ a7: SIMD16<Float>, positions: Int, outRows: Int,
        out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 8) { tile in
            tile[0] = a0; tile[1] = a1; tile[2] = a2; tile[3] = a3; tile[4] = a4; tile[5] = a5; tile[6] = a6; tile[7] = a7
            let values = UnsafeRawPointer(tile.baseAddress!).assumingMemoryBound(to: Float.self)
            for c in 0..<outRows {
                let row = out + c * ldo
                for i in 0..<Swift.min(8, positions) { row[i] = values[i * 16 + c] }
            }
        }
    }

    /// For each of the 16 pairs `i` and lanes `c`: `acc[i·16 + c] += Σ_{t < count} g[t·16 + c] · x[offsets[i] + t]`.
    /// `g` is 16 interleaved rows (one vector per t), `x` one flat buffer addressed by the offsets.
    static func outerAccumulate(
        g: UnsafePointer<Float>, x: UnsafePointer<Float>, offsets: UnsafePointer<Int>, count: Int,
        acc: UnsafeMutablePointer<Float>
    ) {
        // Lanes are channels: one pass per `width` of the 16 (a single pass with 16-float vectors).
        for q in stride(from: 0, to: 16, by: width) {
            if splitsAccumulators {
                // As in `correlate`: pairs 0–5, 6–11 and 12–15 in turn, 12 of AVX2's 16 registers.
                outerPairs(Six.self, 0, g + q, x, offsets, count, acc + q)
                outerPairs(Six.self, 6, g + q, x, offsets, count, acc + q)
                outerPairs(Four.self, 12, g + q, x, offsets, count, acc + q)
            } else {
                outerPairs(Sixteen.self, 0, g + q, x, offsets, count, acc + q)
            }
        }
    }

    /// `outerAccumulate` (arguments in its order) for the pairs `first ..< first + Count.n` and the `width` lanes
    /// at `g` and `acc`.
    @inline(__always)
    static func outerPairs<Count: KernelCount>(
        _: Count.Type, _ first: Int, _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ offsets: UnsafePointer<Int>,
        _ count: Int, _ acc: UnsafeMutablePointer<Float>
    ) {
        let n = Count.n
        @inline(__always) func row(_ i: Int) -> UnsafePointer<Float> { x + offsets[first + Swift.min(i, n - 1)] }
        let p0 = row(0), p1 = row(1), p2 = row(2), p3 = row(3), p4 = row(4), p5 = row(5), p6 = row(6), p7 = row(7)
        let p8 = row(8), p9 = row(9), p10 = row(10), p11 = row(11), p12 = row(12), p13 = row(13), p14 = row(14)
        let p15 = row(15)
        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
        var a8 = V(), a9 = V(), a10 = V(), a11 = V(), a12 = V(), a13 = V(), a14 = V(), a15 = V()
        var gp = g
        for t in 0..<count {
            let gv = UnsafeRawPointer(gp).loadUnaligned(as: V.self)
            mac(&a0, gv, V(repeating: p0[t]))
            if n > 1 { mac(&a1, gv, V(repeating: p1[t])) }
            if n > 2 { mac(&a2, gv, V(repeating: p2[t])) }
            if n > 3 { mac(&a3, gv, V(repeating: p3[t])) }
            if n > 4 { mac(&a4, gv, V(repeating: p4[t])) }
            if n > 5 { mac(&a5, gv, V(repeating: p5[t])) }
            if n > 6 { mac(&a6, gv, V(repeating: p6[t])) }
            if n > 7 { mac(&a7, gv, V(repeating: p7[t])) }
            if n > 8 { mac(&a8, gv, V(repeating: p8[t])) }
            if n > 9 { mac(&a9, gv, V(repeating: p9[t])) }
            if n > 10 { mac(&a10, gv, V(repeating: p10[t])) }
            if n > 11 { mac(&a11, gv, V(repeating: p11[t])) }
            if n > 12 { mac(&a12, gv, V(repeating: p12[t])) }
            if n > 13 { mac(&a13, gv, V(repeating: p13[t])) }
            if n > 14 { mac(&a14, gv, V(repeating: p14[t])) }
            if n > 15 { mac(&a15, gv, V(repeating: p15[t])) }
            gp += 16
        }
        @inline(__always) func add(_ i: Int, _ v: V) {
            guard i < n else { return }
            let dst = UnsafeMutableRawPointer(acc + (first + i) * 16)
            dst.storeBytes(of: dst.loadUnaligned(as: V.self) + v, as: V.self)
        }
        add(0, a0); add(1, a1); add(2, a2); add(3, a3); add(4, a4); add(5, a5); add(6, a6); add(7, a7)
        add(8, a8); add(9, a9); add(10, a10); add(11, a11); add(12, a12); add(13, a13); add(14, a14); add(15, a15)
    }
}

/// A count known to the compiler in each generic specialisation of a kernel (`ConvKernels.correlateRows`).
protocol KernelCount { static var n: Int { get } }
enum Two: KernelCount { static var n: Int { 2 } }
enum Four: KernelCount { static var n: Int { 4 } }
enum Six: KernelCount { static var n: Int { 6 } }
enum Eight: KernelCount { static var n: Int { 8 } }
enum Sixteen: KernelCount { static var n: Int { 16 } }

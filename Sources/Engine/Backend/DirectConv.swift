/// Direct (im2col-free) convolution for kernels wider than 1, forward and backward, on `ConvKernels`.
///
/// A stride-`s` convolution is rewritten as a stride-1 one: each input channel `ci` is split into `s`
/// phase rows `X[ci·s + p][m] = xpad[ci][m·s + p]` (xpad: the zero-padded input), and tap
/// `j = u·s + p` reads phase `p` at `m = t + u`. So every output is
/// `out[co][t] = Σ_r Σ_u W'[r][u][co] · X[r][t + u]` with `taps = ceil(k / s)` — one kernel call per
/// 16 output channels, vectorised over 16 output positions. The input gradient is the same kind of
/// correlation over the zero-padded output gradient (one call per input phase), and the weight gradient
/// accumulates outer products of 16 output channels with the same phase rows.
extension ConvGeometry {
    var taps: Int { (k + stride - 1) / stride }
    var phaseRows: Int { cinG * stride }
    /// Length of each phase row: the kernel reads up to `roundUp(lout, 16) + taps - 2`.
    var phaseLength: Int { (lout + 15) / 16 * 16 + taps }
    private var outBlocks: Int { (coutG + 15) / 16 }
    private var inBlocks: Int { (cinG + 15) / 16 }

    /// The columns of the phase rows that can hold input values (the union over phases; the rest is padding).
    var phaseColumns: Range<Int> {
        var lo = phaseLength, hi = 0
        for p in 0..<stride {
            let span = phaseSpan(p)
            if span.lo < span.hi { (lo, hi) = (Swift.min(lo, span.lo), Swift.max(hi, span.hi)) }
        }
        return lo < hi ? lo..<hi : 0..<0
    }

    /// The columns `lo..<hi` of phase `p`'s row that hold input values: `m` with `0 ≤ m·s + p − padLeft < l`.
    private func phaseSpan(_ p: Int) -> (lo: Int, hi: Int) {
        let len = phaseLength
        let lo = Swift.min(len, Swift.max(0, (padLeft - p + stride - 1) / stride))
        let last = l - 1 + padLeft - p
        return (lo, last < 0 ? lo : Swift.max(lo, Swift.min(len, last / stride + 1)))
    }

    /// A buffer for the phase rows of one sample's group, its padding columns zero: `fillPhases` writes only
    /// the input columns, so one buffer serves every unit of a worker (zeroing the padding per unit was a
    /// memset per row per unit, most of a unit's time when L ≤ 8).
    func phaseBuffer() -> UnsafeMutablePointer<Float> {
        let buf = UnsafeMutablePointer<Float>.allocate(capacity: phaseRows * phaseLength)
        buf.initialize(repeating: 0, count: phaseRows * phaseLength)
        return buf
    }

    /// Writes the input columns of the phase rows of one sample's group `xg` (cinG rows of l values, `rowStride`
    /// apart: `l` in the `(n, c, l)` layout, `n·l` in the channel-major one) into `buf` (from `phaseBuffer`,
    /// phaseRows × phaseLength).
    func fillPhases(_ xg: UnsafePointer<Float>, _ buf: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
        let len = phaseLength, step = rowStride ?? l
        for p in 0..<stride {
            let (lo, hi) = phaseSpan(p)
            if lo >= hi { continue }
            for ci in 0..<cinG {
                let src = xg + ci * step, row = buf + (ci * stride + p) * len
                if stride == 1 {
                    ShortCopy.copy(src + (lo - padLeft), to: row + lo, count: hi - lo)
                } else if stride == 2 {
                    Self.evenValues(src, from: lo * 2 + p - padLeft, into: row + lo, count: hi - lo, rowLength: l)
                } else {
                    for m in lo..<hi { row[m] = src[m * stride + p - padLeft] }
                }
            }
        }
    }

    /// `into[m] = src[first + 2m]` for `m < count` (one phase of a stride-2 convolution's input): 16 values from two
    /// vector loads and the even lanes of each, where the 32 values read lie in the row (`src[0 ..< rowLength]`); the
    /// strided scalar copy was most of `fillPhases`, 3 % of an ECGFounder forward pass.
    static func evenValues(
        _ src: UnsafePointer<Float>, from first: Int, into: UnsafeMutablePointer<Float>, count: Int, rowLength: Int
    ) {
        typealias V = SIMD16<Float>
        var m = 0
        while m + 16 <= count && first + 2 * m + 32 <= rowLength {
            let a = UnsafeRawPointer(src + first + 2 * m).loadUnaligned(as: V.self)
            let b = UnsafeRawPointer(src + first + 2 * m + 16).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(into + m).storeBytes(of: V(lowHalf: a.evenHalf, highHalf: b.evenHalf), as: V.self)
            m += 16
        }
        while m < count {
            into[m] = src[first + 2 * m]
            m += 1
        }
    }

    /// Forward weights per (group, block of 16 output channels): `[r][u][16]`, zero where the tap
    /// `u·s + p` lies beyond the kernel or the channel beyond the group. Blocks are packed in parallel,
    /// each reading its 16 weight rows in order (a 16 × cinG·k transpose inside the cache); reading one
    /// value of each row in turn cost 1.3 ms a call for 1024 channels, more than the convolution at L = 4.
    func packForwardWeights(_ w: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        let block = phaseRows * taps * 16, rowLength = cinG * k
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: packedForwardWeights)
        Parallel.forEachChunk(groups * outBlocks, grain: Swift.max(1, 16_384 / block)) { blocks in
            for gb in blocks {
                let (g, b) = (gb / outBlocks, gb % outBlocks)
                let dst = packed + gb * block
                let first = g * coutG + b * 16, rows = Swift.min(16, coutG - b * 16)
                if stride == 1 && rows == 16 { // `[ci·k + u][16]` is the transpose of the block's 16 rows
                    let src = w + first * rowLength
                    for q in 0..<rowLength { ConvKernels.gatherLanes(src + q, stride: rowLength, into: dst + q * 16) }
                    continue
                }
                dst.initialize(repeating: 0, count: block)
                for c in 0..<rows {
                    let src = w + (first + c) * rowLength
                    for ci in 0..<cinG {
                        for p in 0..<stride {
                            let to = dst + (ci * stride + p) * taps * 16 + c, from = src + ci * k + p
                            for u in 0..<taps where u * stride + p < k { to[u * 16] = from[u * stride] }
                        }
                    }
                }
            }
        }
        return packed
    }

    /// Floats `packForwardWeights` writes.
    var packedForwardWeights: Int { groups * outBlocks * phaseRows * taps * 16 }

    /// The convolution of `x` into `out` (and its Swish into `activated`), both `(n, c, l)`, or with `channelMajor`
    /// both `(c, n·l)` (`activated` then not supported: the caller runs Swish over the rows after). `packed`: the
    /// weights as `packForwardWeights(w)` lays them out, when the caller has them (else they are packed here).
    func forwardDirect(
        x: UnsafePointer<Float>, w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        out: UnsafeMutablePointer<Float>, activated: UnsafeMutablePointer<Float>?, channelMajor: Bool = false,
        packed given: UnsafePointer<Float>? = nil
    ) {
        precondition(!channelMajor || activated == nil, "the channel-major layout takes its Swish after the convolution")
        let owned = given == nil ? packForwardWeights(w) : nil
        defer { owned?.deallocate() }
        let packed = given ?? UnsafePointer(owned!)
        let block = phaseRows * taps * 16, columns = phaseColumns
        // Where value (s, c, t) lies: s·sampleStride + c·rowStride + t.
        let (inSample, inRow) = channelMajor ? (l, n * l) : (cin * l, l)
        let (outSample, outRow) = channelMajor ? (lout, n * lout) : (cout * lout, lout)
        Parallel.forEachChunk(n * groups, grain: 1) { units in
            let buf = phaseBuffer()
            defer { buf.deallocate() }
            for unit in units {
                let (g, s) = (unit / n, unit % n) // group-major: consecutive units share the group's packed weights
                fillPhases(x + s * inSample + g * cinG * inRow, buf, rowStride: inRow)
                for b in 0..<outBlocks {
                    let first = g * coutG + b * 16
                    ConvKernels.correlate(
                        x: buf, ldx: phaseLength, rows: phaseRows, taps: taps,
                        w: packed + (g * outBlocks + b) * block, initial: bias.map { $0 + first },
                        out: out + s * outSample + first * outRow, ldo: outRow,
                        outRows: Swift.min(16, coutG - b * 16), count: lout, valid: columns)
                }
                if let activated {
                    let offset = (s * cout + g * coutG) * lout
                    SwishKernels.swish(out + offset, into: activated + offset, count: coutG * lout)
                }
            }
        }
    }

    /// Writes (not adds) the input gradient `gx` (n × cin × l) from the output gradient.
    func inputGradientDirect(w: UnsafePointer<Float>, gOut: UnsafePointer<Float>, gx: UnsafeMutablePointer<Float>) {
        let q = taps
        // Backward weights per (group, input phase, block of 16 input channels): [co][u][16],
        // tap u reading gOut[m − (q − 1 − u)], i.e. kernel index p + s·(q − 1 − u).
        let block = coutG * q * 16
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: groups * stride * inBlocks * block)
        defer { packed.deallocate() }
        Parallel.forEachChunk(groups * stride * inBlocks, grain: Swift.max(1, 16_384 / block)) { blocks in
            for gpb in blocks {
                let (g, p, b) = (gpb / (stride * inBlocks), gpb / inBlocks % stride, gpb % inBlocks)
                let dst = packed + gpb * block
                if stride == 1 && cinG - b * 16 >= 16 {
                    // Every (co, u) of the block is one full vector: 16 input channels at kernel index k − 1 − u.
                    for co in 0..<coutG {
                        let src = w + ((g * coutG + co) * cinG + b * 16) * k + k - 1
                        for u in 0..<q { ConvKernels.gatherLanes(src - u, stride: k, into: dst + (co * q + u) * 16) }
                    }
                    continue
                }
                dst.initialize(repeating: 0, count: block)
                for co in 0..<coutG {
                    for u in 0..<q {
                        let j = p + stride * (q - 1 - u)
                        if j >= k { continue }
                        for c in 0..<Swift.min(16, cinG - b * 16) {
                            dst[(co * q + u) * 16 + c] = w[((g * coutG + co) * cinG + b * 16 + c) * k + j]
                        }
                    }
                }
            }
        }
        // Output-gradient rows shifted right by q − 1 zeros, long enough for every phase's reads.
        let gLength = Swift.max((padLeft + l - 1) / stride + 16, lout) + q + 1
        Parallel.forEachChunk(n * groups, grain: 1) { units in
            let gbuf = UnsafeMutablePointer<Float>.allocate(capacity: coutG * gLength)
            let tmp = UnsafeMutablePointer<Float>.allocate(capacity: 16 * (l / stride + 16))
            defer { gbuf.deallocate(); tmp.deallocate() }
            gbuf.initialize(repeating: 0, count: coutG * gLength)
            for unit in units {
                let (s, g) = (unit / groups, unit % groups)
                for co in 0..<coutG {
                    (gbuf + co * gLength + q - 1).update(from: gOut + (s * cout + g * coutG + co) * lout, count: lout)
                }
                for p in 0..<stride {
                    // phase positions m with 0 ≤ m·s + p − padLeft < l
                    let mLo = Swift.max(0, (padLeft - p + stride - 1) / stride)
                    let last = padLeft + l - 1 - p
                    if last < 0 { continue }
                    let count = last / stride + 1 - mLo
                    if count <= 0 { continue }
                    for b in 0..<inBlocks {
                        let rows = Swift.min(16, cinG - b * 16)
                        let dx = gx + (s * cin + g * cinG + b * 16) * l
                        let wp = packed + ((g * stride + p) * inBlocks + b) * block
                        // gbuf's nonzero columns, counted from mLo
                        let valid = (q - 1 - mLo)..<(q - 1 - mLo + lout)
                        if stride == 1 {
                            ConvKernels.correlate(
                                x: gbuf + mLo, ldx: gLength, rows: coutG, taps: q, w: wp, initial: nil,
                                out: dx + (mLo - padLeft), ldo: l, outRows: rows, count: count, valid: valid)
                        } else {
                            ConvKernels.correlate(
                                x: gbuf + mLo, ldx: gLength, rows: coutG, taps: q, w: wp, initial: nil,
                                out: tmp, ldo: count, outRows: rows, count: count, valid: valid)
                            for c in 0..<rows {
                                let src = tmp + c * count, row = dx + c * l
                                for t in 0..<count { row[(mLo + t) * stride + p - padLeft] = src[t] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `gT[t·16 + c] = src[c·lout + t]` for `c < rows` (at most 16; the other lanes untouched) and `t < lout`,
    /// a vector at a time when the block is full (one value at a time was a quarter of the weight gradient at
    /// L = 1250).
    private func transposeBlock(_ src: UnsafePointer<Float>, rows: Int, into gT: UnsafeMutablePointer<Float>) {
        if rows == 16 {
            for t in 0..<lout { ConvKernels.gatherLanes(src + t, stride: lout, into: gT + t * 16) }
        } else {
            for c in 0..<rows {
                let row = src + c * lout
                for t in 0..<lout { gT[t * 16 + c] = row[t] }
            }
        }
    }

    /// Adds one sample's outer products of a transposed output-gradient block `gT` (lout × 16) with its phase
    /// rows into `acc` (`tiles` tiles of 16 pairs × 16 channels). Positions run in chunks whose part of `gT`
    /// (16 KiB) stays in L1 across the tiles; at L = 1250 the whole of `gT` (80 KiB) was read from L2 per tile.
    private func accumulateTiles(
        gT: UnsafePointer<Float>, phases: UnsafePointer<Float>, offsets: UnsafePointer<Int>, tiles: Int,
        into acc: UnsafeMutablePointer<Float>
    ) {
        for t0 in Swift.stride(from: 0, to: lout, by: 256) {
            for tile in 0..<tiles {
                ConvKernels.outerAccumulate(
                    g: gT + t0 * 16, x: phases + t0, offsets: offsets + tile * 16, count: Swift.min(256, lout - t0),
                    acc: acc + tile * 256)
            }
        }
    }

    /// Adds the weight gradient of all samples into `gw` (cout × cinG × k).
    func weightGradientDirect(x: UnsafePointer<Float>, gOut: UnsafePointer<Float>, gw: UnsafeMutablePointer<Float>) {
        let pairs = phaseRows * taps
        let tiles = (pairs + 15) / 16
        let len = phaseLength
        // Offsets of the (r, u) pairs in the phase buffer, padded to whole tiles with pair 0.
        let offsets = (0..<(tiles * 16)).map { i in i < pairs ? (i / taps) * len + i % taps : 0 }
        // A unit is one group's samples, or a stripe of them when there are fewer groups than workers
        // (a single-group convolution still uses every core). Each unit sums into its own slot; the
        // slots are added into `gw` afterwards in unit order, so the result does not depend on timing.
        let stripes = Swift.min(n, Swift.max(1, Parallel.workers / groups))
        let slot = outBlocks * tiles * 256
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: groups * stripes * slot)
        sums.initialize(repeating: 0, count: groups * stripes * slot)
        defer { sums.deallocate() }
        offsets.withUnsafeBufferPointer { offsets in
            Parallel.forEachChunk(groups * stripes, grain: 1) { units in
                let buf = phaseBuffer()
                let gT = UnsafeMutablePointer<Float>.allocate(capacity: lout * 16)
                defer { buf.deallocate(); gT.deallocate() }
                gT.initialize(repeating: 0, count: lout * 16) // lanes past a block's channels stay 0
                for unit in units {
                    let (g, stripe) = (unit / stripes, unit % stripes)
                    for s in (stripe * n / stripes)..<((stripe + 1) * n / stripes) {
                        fillPhases(x + (s * cin + g * cinG) * l, buf)
                        for b in 0..<outBlocks {
                            let first = g * coutG + b * 16
                            transposeBlock(gOut + (s * cout + first) * lout, rows: Swift.min(16, coutG - b * 16), into: gT)
                            accumulateTiles(
                                gT: gT, phases: buf, offsets: offsets.baseAddress!, tiles: tiles,
                                into: sums + unit * slot + b * tiles * 256)
                        }
                    }
                }
            }
        }
        // Groups write disjoint rows of `gw`: in parallel, each adding its stripes in order and writing
        // its rows in order (one row of cinG·k values per output channel).
        Parallel.forEachChunk(groups, grain: Swift.max(1, 4096 / Swift.max(1, slot))) { range in
            for g in range {
                for unit in (g * stripes)..<((g + 1) * stripes) {
                    for b in 0..<outBlocks {
                        let acc = sums + unit * slot + b * tiles * 256, first = g * coutG + b * 16
                        for c in 0..<Swift.min(16, coutG - b * 16) {
                            let row = gw + (first + c) * cinG * k
                            for ci in 0..<cinG {
                                for p in 0..<stride {
                                    let to = row + ci * k + p, from = acc + (ci * stride + p) * taps * 16 + c
                                    for u in 0..<taps where u * stride + p < k { to[u * stride] += from[u * 16] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

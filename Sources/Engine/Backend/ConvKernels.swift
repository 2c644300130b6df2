/// The two register-blocked kernels of the direct convolution (see `DirectConv`), written with
/// 16-float vectors: one AVX-512 register each when the engine is compiled for such a CPU (see
/// Package.swift), two AVX registers otherwise.
///
/// Both keep 16 accumulators in registers and do 16 fused multiply-adds per vector load, which is
/// what lets a grouped convolution with 16 channels per group run near the CPU's peak instead of
/// at the speed of copying an im2col matrix (OpenBLAS packs that matrix for every product, and a
/// product with 16 rows does too little arithmetic per packed element to pay for it).
enum ConvKernels {
    typealias V = SIMD16<Float>

    /// For every `t < count` and `c < outRows` (at most 16):
    /// `out[c·ldo + t] = initial[c] + Σ_{r < rows} Σ_{u < taps} w[(r·taps + u)·16 + c] · x[r·ldx + t + u]`.
    /// `w` holds 16 values per (r, u), the lanes beyond `outRows` ignored. Each row of `x` must be
    /// readable up to index `roundUp(count, 16) + taps - 2`.
    static func correlate(x: UnsafePointer<Float>, ldx: Int, rows: Int, taps: Int, w: UnsafePointer<Float>,
                          initial: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>, ldo: Int,
                          outRows: Int, count: Int) {
        var start = V()
        if let initial { for c in 0..<outRows { start[c] = initial[c] } }
        let tail = UnsafeMutablePointer<Float>.allocate(capacity: 16 * 16)
        defer { tail.deallocate() }
        var t0 = 0
        while t0 < count {
            var a0 = V(repeating: start[0]), a1 = V(repeating: start[1]), a2 = V(repeating: start[2]), a3 = V(repeating: start[3])
            var a4 = V(repeating: start[4]), a5 = V(repeating: start[5]), a6 = V(repeating: start[6]), a7 = V(repeating: start[7])
            var a8 = V(repeating: start[8]), a9 = V(repeating: start[9]), a10 = V(repeating: start[10]), a11 = V(repeating: start[11])
            var a12 = V(repeating: start[12]), a13 = V(repeating: start[13]), a14 = V(repeating: start[14]), a15 = V(repeating: start[15])
            var wp = w
            for r in 0..<rows {
                let xr = x + r * ldx + t0
                for u in 0..<taps {
                    let xv = UnsafeRawPointer(xr + u).loadUnaligned(as: V.self)
                    a0.addProduct(V(repeating: wp[0]), xv); a1.addProduct(V(repeating: wp[1]), xv)
                    a2.addProduct(V(repeating: wp[2]), xv); a3.addProduct(V(repeating: wp[3]), xv)
                    a4.addProduct(V(repeating: wp[4]), xv); a5.addProduct(V(repeating: wp[5]), xv)
                    a6.addProduct(V(repeating: wp[6]), xv); a7.addProduct(V(repeating: wp[7]), xv)
                    a8.addProduct(V(repeating: wp[8]), xv); a9.addProduct(V(repeating: wp[9]), xv)
                    a10.addProduct(V(repeating: wp[10]), xv); a11.addProduct(V(repeating: wp[11]), xv)
                    a12.addProduct(V(repeating: wp[12]), xv); a13.addProduct(V(repeating: wp[13]), xv)
                    a14.addProduct(V(repeating: wp[14]), xv); a15.addProduct(V(repeating: wp[15]), xv)
                    wp += 16
                }
            }
            // A partial last tile goes through `tail` so that no store runs past `count`.
            let full = t0 + 16 <= count
            let dst = full ? out + t0 : tail
            let ld = full ? ldo : 16
            @inline(__always) func put(_ c: Int, _ v: V) {
                if c < outRows { UnsafeMutableRawPointer(dst + c * ld).storeBytes(of: v, as: V.self) }
            }
            put(0, a0); put(1, a1); put(2, a2); put(3, a3); put(4, a4); put(5, a5); put(6, a6); put(7, a7)
            put(8, a8); put(9, a9); put(10, a10); put(11, a11); put(12, a12); put(13, a13); put(14, a14); put(15, a15)
            if !full {
                for c in 0..<outRows { (out + c * ldo + t0).update(from: tail + c * 16, count: count - t0) }
            }
            t0 += 16
        }
    }

    /// For each of the 16 pairs `i` and lanes `c`: `acc[i·16 + c] += Σ_{t < count} g[t·16 + c] · x[offsets[i] + t]`.
    /// `g` is 16 interleaved rows (one vector per t), `x` one flat buffer addressed by the offsets.
    static func outerAccumulate(g: UnsafePointer<Float>, x: UnsafePointer<Float>, offsets: [Int], count: Int,
                                acc: UnsafeMutablePointer<Float>) {
        precondition(offsets.count == 16)
        let p0 = x + offsets[0], p1 = x + offsets[1], p2 = x + offsets[2], p3 = x + offsets[3]
        let p4 = x + offsets[4], p5 = x + offsets[5], p6 = x + offsets[6], p7 = x + offsets[7]
        let p8 = x + offsets[8], p9 = x + offsets[9], p10 = x + offsets[10], p11 = x + offsets[11]
        let p12 = x + offsets[12], p13 = x + offsets[13], p14 = x + offsets[14], p15 = x + offsets[15]
        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
        var a8 = V(), a9 = V(), a10 = V(), a11 = V(), a12 = V(), a13 = V(), a14 = V(), a15 = V()
        var gp = g
        for t in 0..<count {
            let gv = UnsafeRawPointer(gp).loadUnaligned(as: V.self)
            a0.addProduct(gv, V(repeating: p0[t])); a1.addProduct(gv, V(repeating: p1[t]))
            a2.addProduct(gv, V(repeating: p2[t])); a3.addProduct(gv, V(repeating: p3[t]))
            a4.addProduct(gv, V(repeating: p4[t])); a5.addProduct(gv, V(repeating: p5[t]))
            a6.addProduct(gv, V(repeating: p6[t])); a7.addProduct(gv, V(repeating: p7[t]))
            a8.addProduct(gv, V(repeating: p8[t])); a9.addProduct(gv, V(repeating: p9[t]))
            a10.addProduct(gv, V(repeating: p10[t])); a11.addProduct(gv, V(repeating: p11[t]))
            a12.addProduct(gv, V(repeating: p12[t])); a13.addProduct(gv, V(repeating: p13[t]))
            a14.addProduct(gv, V(repeating: p14[t])); a15.addProduct(gv, V(repeating: p15[t]))
            gp += 16
        }
        @inline(__always) func add(_ i: Int, _ v: V) {
            let dst = UnsafeMutableRawPointer(acc + i * 16)
            dst.storeBytes(of: dst.loadUnaligned(as: V.self) + v, as: V.self)
        }
        add(0, a0); add(1, a1); add(2, a2); add(3, a3); add(4, a4); add(5, a5); add(6, a6); add(7, a7)
        add(8, a8); add(9, a9); add(10, a10); add(11, a11); add(12, a12); add(13, a13); add(14, a14); add(15, a15)
    }
}

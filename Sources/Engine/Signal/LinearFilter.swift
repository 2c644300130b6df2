/// Applying IIR filters along time: `lfilter` (direct form II transposed) and zero-phase `filtfilt`
/// with SciPy's defaults (odd extension of `3 * max(len(a), len(b))` samples, steady-state initial
/// conditions from `lfilter_zi`).
public enum LinearFilter {
    /// `scipy.signal.lfilter(b, a, x, zi=zi)`; returns the output (the final state is dropped).
    public static func lfilter(_ f: IIRFilter, _ x: [Double], zi: [Double]? = nil) throws -> [Double] {
        guard let a0 = f.a.first, a0 != 0 else { throw EngineError("lfilter", "a[0] must be non-zero") }
        let n = max(f.a.count, f.b.count)
        var b = f.b.map { $0 / a0 } + Array(repeating: 0, count: n - f.b.count)
        var a = f.a.map { $0 / a0 } + Array(repeating: 0, count: n - f.a.count)
        var z = zi ?? Array(repeating: 0, count: n - 1)
        var y = [Double](repeating: 0, count: x.count)
        b.withUnsafeMutableBufferPointer { b in
            a.withUnsafeMutableBufferPointer { a in
                for i in 0..<x.count {
                    let xi = x[i]
                    let yi = b[0] * xi + (n > 1 ? z[0] : 0)
                    if n > 1 {
                        for k in 1..<(n - 1) { z[k - 1] = b[k] * xi + z[k] - a[k] * yi }
                        z[n - 2] = b[n - 1] * xi - a[n - 1] * yi
                    }
                    y[i] = yi
                }
            }
        }
        return y
    }

    /// Steady-state initial conditions for a unit step (`scipy.signal.lfilter_zi`).
    public static func lfilterZI(_ f: IIRFilter) throws -> [Double] {
        guard let a0 = f.a.first, a0 != 0 else { throw EngineError("lfilter_zi", "a[0] must be non-zero") }
        let n = max(f.a.count, f.b.count)
        let b = f.b.map { $0 / a0 } + Array(repeating: 0, count: n - f.b.count)
        let a = f.a.map { $0 / a0 } + Array(repeating: 0, count: n - f.a.count)
        let m = n - 1
        if m == 0 { return [] }
        // (I − Aᵀ) zi = b[1:] − a[1:] b[0], with A the companion matrix of a.
        var mat = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for i in 0..<m {
            for j in 0..<m {
                // companion(a).T: first column −a[1:], super-diagonal ones (transposed: sub-diagonal … )
                var compT = 0.0
                if j == 0 { compT = -a[i + 1] }
                if i + 1 == j { compT = 1 }
                mat[i][j] = (i == j ? 1 : 0) - compT
            }
        }
        var rhs = (0..<m).map { b[$0 + 1] - a[$0 + 1] * b[0] }
        try solve(&mat, &rhs)
        return rhs
    }

    /// Gaussian elimination with partial pivoting, in place (`rhs` becomes the solution).
    static func solve(_ m: inout [[Double]], _ rhs: inout [Double]) throws {
        let n = rhs.count
        for c in 0..<n {
            var piv = c
            for r in c..<n where abs(m[r][c]) > abs(m[piv][c]) { piv = r }
            guard abs(m[piv][c]) > 1e-300 else { throw EngineError("lfilter_zi", "the filter's state equations are singular") }
            m.swapAt(c, piv); rhs.swapAt(c, piv)
            for r in (c + 1)..<n {
                let f = m[r][c] / m[c][c]
                if f == 0 { continue }
                for k in c..<n { m[r][k] -= f * m[c][k] }
                rhs[r] -= f * rhs[c]
            }
        }
        for c in stride(from: n - 1, through: 0, by: -1) {
            var s = rhs[c]
            for k in (c + 1)..<n { s -= m[c][k] * rhs[k] }
            rhs[c] = s / m[c][c]
        }
    }

    /// Zero-phase forward-backward filtering (`scipy.signal.filtfilt(b, a, x)` with its defaults).
    public static func filtfilt(_ f: IIRFilter, _ x: [Double]) throws -> [Double] {
        let edge = 3 * max(f.a.count, f.b.count)
        guard x.count > edge else {
            throw EngineError("filtfilt", "the signal has \(x.count) samples; this filter needs more than \(edge) (its padding length)")
        }
        let n = x.count
        var ext = [Double]()
        ext.reserveCapacity(n + 2 * edge)
        for i in stride(from: edge, through: 1, by: -1) { ext.append(2 * x[0] - x[i]) }
        ext += x
        for i in 1...edge { ext.append(2 * x[n - 1] - x[n - 1 - i]) }
        let zi = try lfilterZI(f)
        var y = try lfilter(f, ext, zi: zi.map { $0 * ext[0] })
        y.reverse()
        y = try lfilter(f, y, zi: zi.map { $0 * y[0] })
        y.reverse()
        return Array(y[edge..<(edge + n)])
    }
}

import Foundation

/// A digital filter as a cascade of second-order sections `[b0, b1, b2, a0, a1, a2]` (SciPy's `sos`
/// array), applied with `sosfilt` / `sosfiltfilt`.
public struct SOSFilter: Equatable, Sendable {
    public var sections: [[Double]]

    public init(sections: [[Double]]) { self.sections = sections }

    /// Groups zeros and poles into sections: each complex-conjugate pole pair (or pair of real poles)
    /// with two zeros, the pole pairs farthest from the unit circle first; a lone real pole makes a
    /// first-order section (`b2 = a2 = 0`). The gain goes into the first section, as SciPy's `zpk2sos`.
    init(zeros: [Complex], poles: [Complex], gain: Double) {
        func pairs(_ roots: [Complex]) -> [[Complex]] {
            var complex = roots.filter { $0.im > 1e-12 } // one of each conjugate pair
            var real = roots.filter { abs($0.im) <= 1e-12 }
            // Poles nearest the unit circle last (as zpk2sos orders them).
            complex.sort { $0.magnitude < $1.magnitude }
            real.sort { abs($0.re) < abs($1.re) }
            var out: [[Complex]] = []
            var r = real[...]
            while r.count >= 2 { out.append([r.removeFirst(), r.removeFirst()]) }
            let lone = r.first
            out += complex.map { [$0, Complex($0.re, -$0.im)] }
            if let lone { out.insert([lone], at: 0) }
            return out
        }
        let polePairs = pairs(poles)
        var zeroPool = zeros
        var sections: [[Double]] = []
        // Zeros are matched from the poles nearest the unit circle on (they matter most), as zpk2sos's
        // "nearest" pairing does; the sections keep the farthest-first order.
        for group in polePairs.reversed() {
            // Take as many zeros as poles, nearest to this group's first pole; conjugates together.
            var taken: [Complex] = []
            while taken.count < group.count, !zeroPool.isEmpty {
                let target = group[0]
                let i = zeroPool.indices.min { (zeroPool[$0] - target).magnitude < (zeroPool[$1] - target).magnitude }!
                let zero = zeroPool.remove(at: i)
                taken.append(zero)
                if abs(zero.im) > 1e-12, taken.count < group.count,
                    let j = zeroPool.firstIndex(where: { abs($0.re - zero.re) < 1e-9 && abs($0.im + zero.im) < 1e-9 })
                {
                    taken.append(zeroPool.remove(at: j))
                }
            }
            let b = FilterDesign.poly(taken), a = FilterDesign.poly(group)
            sections.insert((b + Array(repeating: 0, count: 3 - b.count)) + (a + Array(repeating: 0, count: 3 - a.count)), at: 0)
        }
        if !sections.isEmpty { for j in 0..<3 { sections[0][j] *= gain } }
        self.sections = sections
    }
}

extension Complex {
    var magnitude: Double { (re * re + im * im).squareRoot() }
}

extension LinearFilter {
    /// `scipy.signal.sosfilt(sos, x, zi=zi)` (each section in direct form II transposed); `zi` holds two
    /// state values per section.
    public static func sosfilt(_ f: SOSFilter, _ x: [Double], zi: [[Double]]? = nil) -> [Double] {
        var y = x
        for (s, sec) in f.sections.enumerated() {
            let b0 = sec[0] / sec[3], b1 = sec[1] / sec[3], b2 = sec[2] / sec[3], a1 = sec[4] / sec[3], a2 = sec[5] / sec[3]
            var z0 = zi?[s][0] ?? 0, z1 = zi?[s][1] ?? 0
            for i in 0..<y.count {
                let xi = y[i]
                let yi = b0 * xi + z0
                z0 = b1 * xi - a1 * yi + z1
                z1 = b2 * xi - a2 * yi
                y[i] = yi
            }
        }
        return y
    }

    /// Steady-state initial conditions of each section for a unit step (`scipy.signal.sosfilt_zi`).
    public static func sosfiltZI(_ f: SOSFilter) throws -> [[Double]] {
        var scale = 1.0
        var out: [[Double]] = []
        for sec in f.sections {
            let b = Array(sec[0..<3]), a = Array(sec[3..<6])
            out.append(try lfilterZI(IIRFilter(b: b, a: a)).map { $0 * scale })
            scale *= b.reduce(0, +) / a.reduce(0, +)
        }
        return out
    }

    /// The default padding of `scipy.signal.sosfiltfilt`: 3 × (2 × sections + 1), less the first-order sections.
    public static func sosPadLength(_ f: SOSFilter) -> Int {
        let zeroB2 = f.sections.filter { $0[2] == 0 }.count, zeroA2 = f.sections.filter { $0[5] == 0 }.count
        return 3 * (2 * f.sections.count + 1 - min(zeroB2, zeroA2))
    }

    /// Zero-phase forward-backward filtering in sections (`scipy.signal.sosfiltfilt(sos, x)`, odd padding).
    public static func sosfiltfilt(_ f: SOSFilter, _ x: [Double]) throws -> [Double] {
        let edge = sosPadLength(f)
        guard x.count > edge else {
            throw EngineError(
                "filtfilt",
                "the signal has \(x.count) samples; this filter needs more than \(edge) (its padding length): "
                    + "use a lower order or a longer signal")
        }
        let n = x.count
        var ext = [Double]()
        ext.reserveCapacity(n + 2 * edge)
        for i in stride(from: edge, through: 1, by: -1) { ext.append(2 * x[0] - x[i]) }
        ext += x
        if edge > 0 { for i in 1...edge { ext.append(2 * x[n - 1] - x[n - 1 - i]) } }
        let zi = try sosfiltZI(f)
        var y = sosfilt(f, ext, zi: zi.map { $0.map { $0 * ext[0] } })
        y.reverse()
        y = sosfilt(f, y, zi: zi.map { $0.map { $0 * y[0] } })
        y.reverse()
        return Array(y[edge..<(edge + n)])
    }
}

extension ECGRecord {
    /// Every lead through `f`: zero-phase (`sosfiltfilt`) or causal (`sosfilt`), in double precision.
    public func filtered(_ f: SOSFilter, zeroPhase: Bool = true) throws -> ECGRecord {
        let L = sampleCount
        let out = Tensor(zeros: signal.shape, zeroed: false)
        for c in 0..<leads.count {
            let x = (0..<L).map { Double(signal.data[c * L + $0]) }
            let y = zeroPhase ? try LinearFilter.sosfiltfilt(f, x) : LinearFilter.sosfilt(f, x)
            for i in 0..<L { out.data[c * L + i] = Float(y[i]) }
        }
        var r = self
        r.signal = out
        return r
    }
}

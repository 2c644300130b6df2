import Foundation

/// Polyphase resampling with SciPy's `resample_poly` design: a Kaiser-windowed (β = 5) low-pass FIR of
/// `20 · max(up, down) + 1` taps at the lower Nyquist frequency, zero padding at the ends.
public enum Resample {
    /// Resamples `x` by `up / down`.
    public static func poly(_ x: [Double], up: Int, down: Int) throws -> [Double] {
        guard up > 0, down > 0 else { throw EngineError("resample", "up and down factors must be positive, got \(up)/\(down)") }
        let g = gcd(up, down)
        let up = up / g, down = down / g
        if up == 1 && down == 1 { return x }
        guard up <= 10_000, down <= 10_000 else {
            throw EngineError("resample", "rate ratio \(up)/\(down) is too fine (factors above 10000)")
        }
        let nIn = x.count
        let nOut = nIn * up / down + (nIn * up % down == 0 ? 0 : 1)
        let maxRate = max(up, down)
        let halfLen = 10 * maxRate
        var h = firwin(taps: 2 * halfLen + 1, cutoff: 1 / Double(maxRate), kaiserBeta: 5).map { $0 * Double(up) }
        let prePad = down - halfLen % down
        var postPad = 0
        let preRemove = (halfLen + prePad) / down
        func outLen(_ lh: Int) -> Int { ((nIn - 1) * up + lh - 1) / down + 1 }
        while outLen(h.count + prePad + postPad) < nOut + preRemove { postPad += 1 }
        h = Array(repeating: 0, count: prePad) + h + Array(repeating: 0, count: postPad)
        // upfirdn: y[k] = Σ_j h[j] · xup[k·down − j], xup[m·up] = x[m].
        var y = [Double](repeating: 0, count: nOut)
        let lh = h.count
        for o in 0..<nOut {
            let k = o + preRemove
            let pos = k * down // index into the upsampled signal
            // j ≡ pos (mod up) and 0 ≤ j < lh, m = (pos − j) / up in 0..<nIn
            var j = pos % up
            var acc = 0.0
            while j < lh {
                let m = (pos - j) / up
                if m < 0 { break }
                if m < nIn { acc += h[j] * x[m] }
                j += up
            }
            y[o] = acc
        }
        return y
    }

    /// Resamples from `from` Hz to `to` Hz (rates rounded to a ratio of integers below 10000).
    public static func rate(_ x: [Double], from: Double, to: Double) throws -> [Double] {
        guard from > 0, to > 0, from.isFinite, to.isFinite else {
            throw EngineError("resample", "rates must be positive, got \(from) → \(to) Hz")
        }
        let (u, d) = ratio(to / from)
        return try poly(x, up: u, down: d)
    }

    /// The closest fraction p/q to `r` with q ≤ 10000 (continued fractions).
    static func ratio(_ r: Double) -> (Int, Int) {
        if r == r.rounded(), r < 10_000 { return (Int(r), 1) }
        var (h0, h1, k0, k1) = (0, 1, 1, 0)
        var x = r
        for _ in 0..<40 {
            let a = Int(x.rounded(.down))
            let (h2, k2) = (a * h1 + h0, a * k1 + k0)
            if k2 > 10_000 || h2 > 10_000 { break }
            (h0, h1, k0, k1) = (h1, h2, k1, k2)
            let frac = x - Double(a)
            if frac < 1e-12 { break }
            x = 1 / frac
        }
        return (h1, k1)
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// `scipy.signal.firwin(taps, cutoff, window=('kaiser', beta))`: windowed sinc, unit DC gain.
    static func firwin(taps: Int, cutoff: Double, kaiserBeta beta: Double) -> [Double] {
        let alpha = Double(taps - 1) / 2
        var h = (0..<taps).map { i -> Double in
            let m = Double(i) - alpha
            let arg = cutoff * m
            return cutoff * (arg == 0 ? 1 : sin(Double.pi * arg) / (Double.pi * arg))
        }
        let i0b = besselI0(beta)
        for i in 0..<taps {
            let r = 2 * Double(i) / Double(taps - 1) - 1
            h[i] *= besselI0(beta * max(0, 1 - r * r).squareRoot()) / i0b
        }
        let s = h.reduce(0, +)
        return h.map { $0 / s }
    }

    /// Modified Bessel function of the first kind, order 0 (power series).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0
        let q = x * x / 4
        for k in 1..<500 {
            term *= q / Double(k * k)
            sum += term
            if term < sum * 1e-17 { break }
        }
        return sum
    }
}

import Foundation

/// A rational transfer function `b(z) / a(z)` (coefficients of z^0, z^-1, …), as SciPy's `(b, a)`.
public struct IIRFilter: Equatable, Sendable {
    public var b: [Double]
    public var a: [Double]
    public init(b: [Double], a: [Double]) { self.b = b; self.a = a }
}

/// Filter design with SciPy's formulas (`scipy.signal.iirnotch`, `scipy.signal.butter`).
public enum FilterDesign {
    /// Second-order IIR notch at `frequency` Hz with quality factor `q` (`iirnotch(w0, Q, fs)`).
    public static func notch(frequency: Double, q: Double, rate: Double) throws -> IIRFilter {
        guard frequency > 0 && frequency < rate / 2 else {
            throw EngineError(
                "notch",
                "notch frequency \(frequency) Hz must lie between 0 and the Nyquist frequency \(rate / 2) Hz of a \(rate) Hz signal")
        }
        guard q > 0 else { throw EngineError("notch", "quality factor must be positive, got \(q)") }
        let w0 = frequency / (rate / 2)
        let bw = w0 / q * Double.pi
        let w = w0 * Double.pi
        let beta = tan(bw / 2) // gb = 1/√2 makes sqrt(1 − gb²)/gb = 1
        let gain = 1 / (1 + beta)
        return IIRFilter(b: [gain, -2 * gain * cos(w), gain], a: [1, -2 * gain * cos(w), 2 * gain - 1])
    }

    public enum BandType: String, CaseIterable, Sendable { case lowpass, highpass, bandpass, bandstop }

    /// The orders `butterworth` and `butterworthSOS` accept.
    public static let butterworthOrders = 1...12

    /// Digital Butterworth filter of `order` in transfer-function form (`butter(N, Wn, btype, fs=rate)`,
    /// output `ba`). Only well-conditioned for low orders (ECGFounder's order-4 band-pass is designed
    /// this way by its official code); `butterworthSOS` is the form to filter with.
    public static func butterworth(order: Int, cutoff: [Double], type: BandType, rate: Double) throws -> IIRFilter {
        let (zz, pz, k) = try butterworthZPK(order: order, cutoff: cutoff, type: type, rate: rate)
        return IIRFilter(b: poly(zz).map { $0 * k }, a: poly(pz))
    }

    /// Digital Butterworth filter as second-order sections (`butter(..., output="sos")`): stable and
    /// accurate for every accepted order, where the `(b, a)` polynomials of orders above about 5 are not.
    public static func butterworthSOS(order: Int, cutoff: [Double], type: BandType, rate: Double) throws -> SOSFilter {
        let (z, p, k) = try butterworthZPK(order: order, cutoff: cutoff, type: type, rate: rate)
        return SOSFilter(zeros: z, poles: p, gain: k)
    }

    /// Zeros, poles and gain of the digital Butterworth filter: analog prototype, frequency transform
    /// with pre-warping, bilinear transform (SciPy's `buttap`, `lp2*_zpk`, `bilinear_zpk`).
    static func butterworthZPK(order: Int, cutoff: [Double], type: BandType, rate: Double) throws -> ([Complex], [Complex], Double) {
        guard butterworthOrders.contains(order) else {
            throw EngineError(
                "butter", "order must be between \(butterworthOrders.lowerBound) and \(butterworthOrders.upperBound), got \(order)")
        }
        let needed = (type == .bandpass || type == .bandstop) ? 2 : 1
        guard cutoff.count == needed else {
            throw EngineError("butter", "a \(type.rawValue) filter needs \(needed) cutoff frequencies, got \(cutoff.count)")
        }
        for c in cutoff where !(c > 0 && c < rate / 2) {
            throw EngineError("butter", "cutoff \(c) Hz must lie between 0 and the Nyquist frequency \(rate / 2) Hz of a \(rate) Hz signal")
        }
        if needed == 2 && cutoff[0] >= cutoff[1] { throw EngineError("butter", "band edges \(cutoff) must increase") }
        // Analog prototype poles (buttap).
        var p: [Complex] = []
        for m in stride(from: -order + 1, to: order, by: 2) {
            p.append(-Complex.exp(i: Double.pi * Double(m) / Double(2 * order)))
        }
        var z: [Complex] = []
        var k = 1.0
        let fs = 2.0
        let warped = cutoff.map { 2 * fs * tan(Double.pi * ($0 / (rate / 2)) / fs) }
        let degree = p.count - z.count
        switch type {
        case .lowpass:
            z = z.map { $0 * warped[0] }; p = p.map { $0 * warped[0] }
            k *= pow(warped[0], Double(degree))
        case .highpass:
            k *= (z.reduce(Complex(1), { $0 * (-$1) }) / p.reduce(Complex(1), { $0 * (-$1) })).re
            z = z.map { Complex(warped[0]) / $0 } + Array(repeating: Complex(0), count: degree)
            p = p.map { Complex(warped[0]) / $0 }
        case .bandpass, .bandstop:
            let bw = warped[1] - warped[0], wo = (warped[0] * warped[1]).squareRoot()
            if type == .bandpass {
                let zl = z.map { $0 * (bw / 2) }, pl = p.map { $0 * (bw / 2) }
                z = zl.map { $0 + ($0 * $0 - wo * wo).sqrt() } + zl.map { $0 - ($0 * $0 - wo * wo).sqrt() }
                p = pl.map { $0 + ($0 * $0 - wo * wo).sqrt() } + pl.map { $0 - ($0 * $0 - wo * wo).sqrt() }
                z += Array(repeating: Complex(0), count: degree)
                k *= pow(bw, Double(degree))
            } else {
                k *= (z.reduce(Complex(1), { $0 * (-$1) }) / p.reduce(Complex(1), { $0 * (-$1) })).re
                let zh = z.map { Complex(bw / 2) / $0 }, ph = p.map { Complex(bw / 2) / $0 }
                z = zh.map { $0 + ($0 * $0 - wo * wo).sqrt() } + zh.map { $0 - ($0 * $0 - wo * wo).sqrt() }
                p = ph.map { $0 + ($0 * $0 - wo * wo).sqrt() } + ph.map { $0 - ($0 * $0 - wo * wo).sqrt() }
                z += Array(repeating: Complex(0, wo), count: degree) + Array(repeating: Complex(0, -wo), count: degree)
            }
        }
        // Bilinear transform (bilinear_zpk, fs = 2).
        let fs2 = Complex(2 * fs)
        let deg = p.count - z.count
        let num = z.reduce(Complex(1)) { $0 * (fs2 - $1) }, den = p.reduce(Complex(1)) { $0 * (fs2 - $1) }
        k *= (num / den).re
        let zz = z.map { (fs2 + $0) / (fs2 - $0) } + Array(repeating: Complex(-1), count: deg)
        let pz = p.map { (fs2 + $0) / (fs2 - $0) }
        return (zz, pz, k)
    }

    /// Real coefficients of the monic polynomial with the given roots (`numpy.poly`).
    static func poly(_ roots: [Complex]) -> [Double] {
        var c = [Complex(1)]
        for r in roots {
            var next = c + [Complex(0)]
            for i in 1..<next.count { next[i] = next[i] - r * c[i - 1] }
            c = next
        }
        return c.map(\.re)
    }
}

/// The little complex arithmetic filter design needs.
struct Complex: Equatable {
    var re: Double, im: Double
    init(_ re: Double, _ im: Double = 0) { self.re = re; self.im = im }
    static func exp(i theta: Double) -> Complex { Complex(cos(theta), sin(theta)) }
    static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    static func - (a: Complex, b: Double) -> Complex { Complex(a.re - b, a.im) }
    static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
    static func * (a: Complex, b: Complex) -> Complex { Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re) }
    static func * (a: Complex, b: Double) -> Complex { Complex(a.re * b, a.im * b) }
    static func / (a: Complex, b: Complex) -> Complex {
        let d = b.re * b.re + b.im * b.im
        return Complex((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
    }
    /// Principal square root.
    func sqrt() -> Complex {
        let r = (re * re + im * im).squareRoot()
        let x = ((r + re) / 2).squareRoot()
        let y = ((r - re) / 2).squareRoot()
        return Complex(x, im < 0 ? -y : y)
    }
}

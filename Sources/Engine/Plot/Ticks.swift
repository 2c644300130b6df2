import Foundation

/// "Nice" axis ticks (1, 2, 5 × 10ᵏ) and their labels.
enum Ticks {
    /// `integer`: steps of 1, 2, 5, 10, … only (no 2.5 and no fractions), for counts such as epochs.
    static func nice(_ lo: Double, _ hi: Double, target: Int = 5, integer: Bool = false) -> [Double] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return lo.isFinite ? [lo] : [] }
        let raw = (hi - lo) / Double(max(target, 1))
        let mag = pow(10, floor(log10(raw)))
        var step = (integer ? [1.0, 2, 5, 10] : [1.0, 2, 2.5, 5, 10]).map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        if integer { step = max(1, step.rounded()) }
        var out: [Double] = []
        var t = ceil(lo / step - 1e-9) * step
        while t <= hi + step * 1e-9 { out.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return out
    }

    static func label(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e5 || abs(v) < 1e-3 { return String(format: "%.1e", v) }
        // As many decimals as the step needs to be exact (0.25 → 2, 0.5 → 1, 20 → 0).
        var decimals = 0
        while decimals < 10 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { break }
            decimals += 1
        }
        return String(format: "%.\(decimals)f", v)
    }

    /// Data range with a small margin; degenerate ranges are widened.
    static func range(_ values: [Double], pad: Double = 0.04) -> (Double, Double) {
        let v = values.filter { $0.isFinite }
        guard var lo = v.min(), var hi = v.max() else { return (0, 1) }
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        let m = (hi - lo) * pad
        return (lo - m, hi + m)
    }
}

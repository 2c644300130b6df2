import Foundation

/// Realistic synthetic 12-lead ECGs with known labels (the embedded default data).
///
/// The heart's electrical activity is a moving dipole (as in vectorcardiography): each beat is a sum of
/// Gaussian waves P, Q, R, S, T — McSharry et al.'s ECGSYN morphology, placed in time by an RR series —
/// each wave with its own 3-D dipole direction. The dipole is projected onto the frontal leads I and II
/// and the six precordial lead axes; III, aVR, aVL and aVF follow from Einthoven's and Goldberger's
/// relations, so the 12 leads are mutually consistent. Conditions change rhythm and morphology the way
/// they do clinically; noise adds baseline wander, muscle noise and mains interference.
public struct SyntheticECG: Sendable {
    /// PTB-XL SCP codes the generator can produce, with the PTB-XL statements behind them.
    public static let conditions: [SCPStatement] = [
        SCPStatement(code: "NORM", description: "normal ECG", diagnostic: true, diagnosticClass: "NORM", diagnosticSubclass: "NORM"),
        SCPStatement(code: "AFIB", description: "atrial fibrillation", rhythm: true),
        SCPStatement(code: "STACH", description: "sinus tachycardia", rhythm: true),
        SCPStatement(code: "SBRAD", description: "sinus bradycardia", rhythm: true),
        SCPStatement(
            code: "CLBBB", description: "complete left bundle branch block", diagnostic: true, diagnosticClass: "CD",
            diagnosticSubclass: "CLBBB"),
        SCPStatement(
            code: "IMI", description: "inferior myocardial infarction", diagnostic: true, diagnosticClass: "MI", diagnosticSubclass: "IMI"),
        SCPStatement(
            code: "LVH", description: "left ventricular hypertrophy", diagnostic: true, diagnosticClass: "HYP", diagnosticSubclass: "LVH"),
        SCPStatement(
            code: "ISC_", description: "non-specific ischemic (ST depression, T flattening)", diagnostic: true, diagnosticClass: "STTC",
            diagnosticSubclass: "ISC_"),
        SCPStatement(code: "STE_", description: "non-specific ST elevation", form: true),
        SCPStatement(code: "LVOLT", description: "low QRS voltages in the frontal and horizontal leads", form: true)
    ]
    public static let defaultClasses = conditions.map(\.code)

    public var rate: Double = 100
    public var seconds: Double = 10
    public var classes: [String] = SyntheticECG.defaultClasses
    /// Scales muscle noise, baseline wander and mains interference (0: clean).
    public var noise: Double = 1
    /// Heart-rate variability scale (0: perfectly regular sinus rhythm).
    public var variability: Double = 1

    public init() {}

    public func validate() throws {
        guard rate >= 50 && rate <= 10_000 else { throw EngineError("synth", "rate must be between 50 and 10000 Hz, got \(rate)") }
        guard seconds >= 1 && seconds <= 600 else { throw EngineError("synth", "seconds must be between 1 and 600, got \(seconds)") }
        guard noise >= 0, variability >= 0 else { throw EngineError("synth", "noise and variability must be non-negative") }
        for c in classes where !Self.defaultClasses.contains(c) {
            throw EngineError("synth", "unknown condition '\(c)' (known: \(Self.defaultClasses.joined(separator: ", ")))")
        }
        guard !classes.isEmpty, Set(classes).count == classes.count else {
            throw EngineError("synth", "classes must be a non-empty list without repeats")
        }
    }

    /// `n` records with stratified folds 1–10, deterministic for a given seed.
    public func dataset(count n: Int, seed: UInt64) throws -> ECGDataset {
        try validate()
        guard n >= 1 && n <= 1_000_000 else { throw EngineError("synth", "n must be between 1 and 1000000, got \(n)") }
        let L = Int((seconds * rate).rounded())
        _ = try Tensor.checkedCount([n, 12, L], op: "synth", limit: 1 << 31)
        let signals = Tensor(zeros: [n, 12, L], zeroed: false)
        let targets = Tensor(zeros: [n, classes.count])
        var labelSets = [[String]](repeating: [], count: n)
        let out = signals.data
        // Labels first (cheap, sequential), then signals in parallel; each record has its own stream.
        for i in 0..<n {
            var rng = SeededRandom(seed: seed &* 0x9E37_79B9 &+ UInt64(i))
            labelSets[i] = drawLabels(&rng)
        }
        try Parallel.forEach(n, grain: 4) { i in
            var rng = SeededRandom(seed: (seed &* 0x9E37_79B9 &+ UInt64(i)) ^ 0xA5A5_5A5A)
            let sig = self.signal(labels: Set(labelSets[i]), length: L, rng: &rng)
            (out + i * 12 * L).update(from: sig, count: 12 * L)
        }
        for i in 0..<n { for l in labelSets[i] { if let k = classes.firstIndex(of: l) { targets.data[i * classes.count + k] = 1 } } }
        // Stratified folds: order by label combination (shuffled within), then deal 1…10 round-robin.
        var rng = SeededRandom(seed: seed ^ 0xF01D)
        let keys = (0..<n).map { (labelSets[$0].sorted().joined(separator: "+"), rng.next(), $0) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var folds = [Int](repeating: 1, count: n)
        for (j, k) in keys.enumerated() { folds[k.2] = j % 10 + 1 }
        let statements = Dictionary(uniqueKeysWithValues: Self.conditions.map { ($0.code, $0) })
        return try ECGDataset(
            name: "synthetic", rate: rate, leads: standardLeads, classes: classes, signals: signals,
            targets: targets, recordNames: (0..<n).map { String(format: "synth%05d", $0 + 1) },
            folds: folds, statements: statements)
    }

    func drawLabels(_ rng: inout SeededRandom) -> [String] {
        var labels: [String] = []
        let rhythms = ["AFIB", "STACH", "SBRAD"].filter(classes.contains)
        let u = rng.uniform()
        if !rhythms.isEmpty, u < 0.36 { labels.append(rhythms[Int(u / 0.36 * Double(rhythms.count))]) }
        let morph: [(String, Double)] = [("CLBBB", 0.10), ("IMI", 0.12), ("LVH", 0.12), ("ISC_", 0.12), ("STE_", 0.08), ("LVOLT", 0.07)]
        for (code, p) in morph where classes.contains(code) && rng.uniform() < p {
            if code == "STE_" && labels.contains("ISC_") { continue }
            labels.append(code)
        }
        if labels.isEmpty && classes.contains("NORM") { labels.append("NORM") }
        return labels
    }

    /// A wave: centre offset from the R peak (s), width (s), dipole (x left, y inferior, z anterior; mV).
    struct Wave { var offset: Double; var width: Double; var dipole: (Double, Double, Double) }

    /// Lead axes of I, II and V1–V6 in the same coordinates.
    static let axes: [(Double, Double, Double)] = [
        (1, 0, 0), (0.5, 0.866, 0),
        (-0.26, 0.05, 0.97), (0.0, 0.05, 1.0), (0.42, 0.1, 0.9), (0.7, 0.15, 0.7), (0.9, 0.1, 0.42), (1.0, 0.1, 0.1)
    ]

    /// Signal of one record, `(12, L)` row-major.
    func signal(labels: Set<String>, length L: Int, rng: inout SeededRandom) -> [Float] {
        let fs = rate
        let afib = labels.contains("AFIB")
        var hr = 60 + 30 * rng.uniform()
        if labels.contains("STACH") { hr = 105 + 45 * rng.uniform() }
        if labels.contains("SBRAD") { hr = 40 + 15 * rng.uniform() }
        if afib { hr = 70 + 60 * rng.uniform() }
        // RR series: respiratory sinus arrhythmia + slow drift + jitter; AF is irregularly irregular.
        let meanRR = 60 / hr
        var beats: [Double] = []
        var t = -meanRR * rng.uniform()
        let rsaPhase = 2 * Double.pi * rng.uniform(), respRate = 0.2 + 0.15 * rng.uniform()
        while t < seconds + 1 {
            beats.append(t)
            var rr = meanRR * (1 + variability * (0.04 * sin(2 * Double.pi * respRate * t + rsaPhase) + 0.015 * rng.normal()))
            if afib { rr = meanRR * exp(0.22 * max(variability, 0.3) * rng.normal()) }
            t += max(rr, 0.25)
        }
        // Per-record anatomy: electrical axis rotation and amplitude.
        let axisTurn = (rng.uniform() - 0.5) * 0.6, gain = 0.8 + 0.4 * rng.uniform()
        func rot(_ d: (Double, Double, Double)) -> (Double, Double, Double) {
            let c = cos(axisTurn), s = sin(axisTurn)
            return ((d.0 * c - d.1 * s) * gain, (d.0 * s + d.1 * c) * gain, d.2 * gain)
        }
        var waves: [Wave] = [
            Wave(offset: -0.16, width: 0.022, dipole: (0.08, 0.14, 0.03)), // P
            Wave(offset: -0.028, width: 0.008, dipole: (-0.12, 0.0, 0.12)), // Q (septal)
            Wave(offset: 0, width: 0.011, dipole: (1.0, 0.85, -0.45)), // R
            Wave(offset: 0.03, width: 0.011, dipole: (-0.25, -0.3, -0.25)), // S
            Wave(offset: 0.28, width: 0.055, dipole: (0.22, 0.24, 0.12)) // T
        ]
        var st = (0.0, 0.0, 0.0)
        if afib { waves[0].dipole = (0, 0, 0) }
        if labels.contains("CLBBB") {
            waves[1].dipole = (0, 0, 0)
            waves[2] = Wave(offset: 0.01, width: 0.03, dipole: (1.1, 0.35, -1.0))
            waves[3] = Wave(offset: 0.065, width: 0.025, dipole: (0.5, 0.1, -0.6)) // notched, broad R (RsR')
            waves[4].dipole = (-0.25, -0.05, 0.3) // discordant T
        }
        if labels.contains("IMI") {
            waves[1] = Wave(offset: -0.03, width: 0.014, dipole: (0.0, -0.45, 0.0)) // pathological inferior Q
            waves[4].dipole.1 = -0.18 // inferior T inversion
        }
        if labels.contains("LVH") {
            waves[2].dipole = (waves[2].dipole.0 * 2.1, waves[2].dipole.1 * 1.4, waves[2].dipole.2 * 2.2)
            waves[3].dipole.2 *= 2
            if rng.uniform() < 0.5 { waves[4].dipole.0 = -0.12 } // strain pattern
        }
        if labels.contains("ISC_") {
            st = (-0.09, -0.07, -0.05)
            waves[4].dipole = (waves[4].dipole.0 * 0.2, waves[4].dipole.1 * 0.2, -0.1)
        }
        if labels.contains("STE_") { st = (0.12, 0.1, 0.2) }
        let volt = labels.contains("LVOLT") ? 0.33 : 1.0
        let qtScale = sqrt(meanRR)
        // Dipole time course (3 components), then projections.
        var dip = [[Double]](repeating: [Double](repeating: 0, count: L), count: 3)
        for b in beats {
            for (wi, w) in waves.enumerated() {
                let d = rot(w.dipole)
                if d.0 == 0 && d.1 == 0 && d.2 == 0 { continue }
                let centre = b + (wi == 4 ? w.offset * qtScale : w.offset)
                let width = wi == 4 ? w.width * qtScale : w.width
                let lo = max(0, Int((centre - 4 * width) * fs)), hi = min(L - 1, Int((centre + 4 * width) * fs))
                if lo > hi { continue }
                let scale = (wi >= 1 && wi <= 3) ? volt : 1.0
                for i in lo...hi {
                    let z = (Double(i) / fs - centre) / width
                    let g = exp(-0.5 * z * z) * scale
                    dip[0][i] += d.0 * g; dip[1][i] += d.1 * g; dip[2][i] += d.2 * g
                }
            }
            if st != (0, 0, 0) { // ST segment: a plateau from the end of QRS into the T wave
                let s0 = b + 0.06, s1 = b + 0.26 * qtScale
                let lo = max(0, Int(s0 * fs)), hi = min(L - 1, Int(s1 * fs))
                if lo <= hi {
                    for i in lo...hi {
                        let u = (Double(i) / fs - s0) / max(s1 - s0, 1e-3)
                        let g = sin(Double.pi * min(max(u, 0), 1)) * 0.5 + 0.5 * (u < 0.5 ? 1 : 0)
                        dip[0][i] += st.0 * g; dip[1][i] += st.1 * g; dip[2][i] += st.2 * g
                    }
                }
            }
        }
        if afib { // fibrillatory waves, 4–8 Hz, mostly seen in V1 and the inferior leads
            let f1 = 4 + 4 * rng.uniform(), f2 = 4 + 4 * rng.uniform(), p1 = 6.28 * rng.uniform(), p2 = 6.28 * rng.uniform()
            let amp = 0.03 + 0.03 * rng.uniform()
            for i in 0..<L {
                let tt = Double(i) / fs
                let f = amp * (sin(2 * Double.pi * f1 * tt + p1) + 0.6 * sin(2 * Double.pi * f2 * tt + p2))
                dip[1][i] += 0.6 * f; dip[2][i] += f
            }
        }
        var leads8 = [[Double]](repeating: [Double](repeating: 0, count: L), count: 8)
        for (k, a) in Self.axes.enumerated() {
            for i in 0..<L { leads8[k][i] = a.0 * dip[0][i] + a.1 * dip[1][i] + a.2 * dip[2][i] }
        }
        // Noise per electrode-independent lead (I, II, V1–V6), before deriving the rest.
        let wanderF = 0.15 + 0.25 * rng.uniform(), mains = rate > 120 ? 50.0 : 0
        for k in 0..<8 {
            let wa = noise * (0.04 + 0.12 * rng.uniform()), wp = 6.28 * rng.uniform()
            let emg = noise * (0.005 + 0.015 * rng.uniform()), ma = noise * 0.01 * rng.uniform()
            for i in 0..<L {
                let tt = Double(i) / fs
                leads8[k][i] += wa * sin(2 * Double.pi * wanderF * tt + wp) + emg * rng.normal() + ma * sin(2 * Double.pi * mains * tt)
            }
        }
        var out = [Float](repeating: 0, count: 12 * L)
        let I = leads8[0], II = leads8[1]
        for i in 0..<L { // III, aVR, aVL, aVF from Einthoven's and Goldberger's relations
            out[i] = Float(I[i])
            out[L + i] = Float(II[i])
            out[2 * L + i] = Float(II[i] - I[i])
            out[3 * L + i] = Float(-(I[i] + II[i]) / 2)
            out[4 * L + i] = Float(I[i] - II[i] / 2)
            out[5 * L + i] = Float(II[i] - I[i] / 2)
            for k in 0..<6 { out[(6 + k) * L + i] = Float(leads8[2 + k][i]) }
        }
        return out
    }
}

import Foundation
import Testing
@testable import Engine

/// The synthetic generator: determinism, label-specific morphology, and a PTB-XL round trip.
@Suite struct SyntheticECGTests {
    func make(_ n: Int, seed: UInt64 = 7, rate: Double = 100, noise: Double = 1) throws -> ECGDataset {
        var g = SyntheticECG()
        g.rate = rate
        g.noise = noise
        return try g.dataset(count: n, seed: seed)
    }

    @Test func deterministicPerSeed() throws {
        let a = try make(20), b = try make(20), c = try make(20, seed: 8)
        #expect(a.signals.values == b.signals.values && a.targets.values == b.targets.values && a.folds == b.folds)
        #expect(a.signals.values != c.signals.values)
        #expect(a.signals.shape == [20, 12, 1000] && a.classes == SyntheticECG.defaultClasses)
        #expect(a.signals.values.allSatisfy { $0.isFinite && abs($0) < 10 })
    }

    @Test func leadsAreConsistentAndLabelsCovered() throws {
        let ds = try make(300)
        // Einthoven: III = II − I; Goldberger: aVR = −(I + II)/2.
        let L = ds.length
        for i in stride(from: 0, to: L, by: 37) {
            let I = ds.signals.data[i], II = ds.signals.data[L + i], III = ds.signals.data[2 * L + i], aVR = ds.signals.data[3 * L + i]
            let e1: Float = abs(III - (II - I)), e2: Float = abs(aVR + (I + II) / 2)
            #expect(e1 < 1e-5 && e2 < 1e-5)
        }
        let counts = ds.classCounts()
        #expect(counts.allSatisfy { $0 >= 10 }, "\(zip(ds.classes, counts).map { "\($0)=\($1)" })")
        #expect(Set(ds.folds) == Set(1...10))
    }

    /// Heart rate from R peaks in lead II of a clean record.
    func heartRate(_ r: ECGRecord) -> (bpm: Double, rrCV: Double) {
        let L = r.sampleCount
        let x = (0..<L).map { Double(r.signal.data[L + $0]) }
        let thr = (x.max() ?? 0) * 0.6
        var peaks: [Int] = []
        for i in 1..<(L - 1) where x[i] > thr && x[i] >= x[i - 1] && x[i] > x[i + 1] {
            if let last = peaks.last, Double(i - last) < 0.25 * r.rate { continue }
            peaks.append(i)
        }
        let rr = zip(peaks.dropFirst(), peaks).map { Double($0 - $1) / r.rate }
        let m = rr.reduce(0, +) / Double(max(rr.count, 1))
        let sd = (rr.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(rr.count, 1))).squareRoot()
        return (60 / m, sd / m)
    }

    @Test func conditionsChangeRhythmAndMorphology() throws {
        var g = SyntheticECG()
        g.rate = 500
        g.noise = 0
        let ds = try g.dataset(count: 200, seed: 11)
        func records(_ code: String) throws -> [ECGRecord] {
            try (0..<ds.count).map { try ds.record($0) }.filter { $0.labels.contains(code) }
        }
        // Rate checks on records without morphology changes (low voltage makes T taller than R).
        let pure = { (r: ECGRecord) in r.labels.count == 1 }
        for r in try records("STACH").filter(pure) { #expect(heartRate(r).bpm > 100) }
        for r in try records("SBRAD").filter(pure) { #expect(heartRate(r).bpm < 60) }
        let afibCV = try records("AFIB").map { heartRate($0).rrCV }
        let normCV = try records("NORM").map { heartRate($0).rrCV }
        let afibMean: Double = afibCV.reduce(0, +) / Double(afibCV.count)
        let normMean: Double = normCV.reduce(0, +) / Double(normCV.count)
        #expect(afibMean > 3 * normMean)
        // QRS width: samples of lead V6 above half the R amplitude around its peak; wider in CLBBB.
        func qrsWidth(_ r: ECGRecord) -> Double {
            let L = r.sampleCount
            let v = (0..<L).map { abs(Double(r.signal.data[11 * L + $0])) }
            let thr = (v.max() ?? 0) / 2
            return Double(v.filter { $0 > thr }.count) / r.rate
        }
        let lbbb = try records("CLBBB").filter { !$0.labels.contains("LVOLT") }.map(qrsWidth)
        let norm = try records("NORM").map(qrsWidth)
        let lbbbMean: Double = lbbb.reduce(0, +) / Double(lbbb.count)
        let normWidth: Double = norm.reduce(0, +) / Double(norm.count)
        #expect(lbbbMean > 1.5 * normWidth, "QRS \(lbbbMean) vs \(normWidth)")
    }

    @Test func writePTBXLRoundTrip() throws {
        setenv("ECGS_CACHE", Fixtures.tempDir(), 1)
        let ds = try make(60)
        let dir = Fixtures.tempDir() + "/ptbxl"
        #expect(try PTBXL.write(ds, to: dir) == 60)
        let back = try PTBXL.load(dir: dir, task: .all, standardize: false)
        #expect(Set(back.classes) == Set(ds.classes.filter { c in ds.classCounts()[ds.classes.firstIndex(of: c)!] > 0 }))
        #expect(back.count == 60 && back.folds == ds.folds)
        for i in 0..<60 {
            let a = try ds.record(i), b = try back.record(i)
            #expect(Set(a.labels) == Set(b.labels))
        }
        var maxDiff: Float = 0
        for i in 0..<ds.signals.count { maxDiff = max(maxDiff, abs(ds.signals.data[i] - back.signals.data[i])) }
        #expect(maxDiff <= 0.0005 + 1e-6) // 16-bit at 1000 units/mV: half a µV step
        let sup = try PTBXL.load(dir: dir, task: .superdiagnostic, standardize: false)
        #expect(sup.classes.allSatisfy { ["CD", "HYP", "MI", "NORM", "STTC"].contains($0) })
        #expect(throws: EngineError.self) { try PTBXL.write(try make(2, rate: 250), to: dir + "2") }
    }

    @Test func badSettings() {
        var g = SyntheticECG()
        g.classes = ["NORM", "XYZ"]
        #expect(
            throws: EngineError("synth", "unknown condition 'XYZ' (known: NORM, AFIB, STACH, SBRAD, CLBBB, IMI, LVH, ISC_, STE_, LVOLT)")
        ) { try g.dataset(count: 1, seed: 1) }
        g = SyntheticECG()
        g.rate = 10
        #expect(throws: EngineError.self) { try g.dataset(count: 1, seed: 1) }
    }
}

import Foundation

/// ECGFounder's fine-tuning preprocessing as one configurable chain (SCIENCE.md §1): NaN → 0, IIR notch
/// (filtfilt), Butterworth band-pass (filtfilt), baseline removal by subtracting a running median, then
/// a z-score. Every step can be switched off.
public struct Preprocess: Sendable {
    public enum ZScore: String, CaseIterable, Sendable { case record, global, none }
    /// Baseline-wander removal: a running median subtracted (ECGFounder), or none.
    public enum Baseline: String, CaseIterable, Sendable { case median, none }

    /// Notch frequency in Hz (nil: no notch).
    public var notch: Double? = 50
    public var notchQ: Double = 30
    /// Band-pass edges in Hz (nil: no band-pass).
    public var bandpass: (Double, Double)? = (0.67, 40)
    public var bandpassOrder: Int = 4
    /// Median window in seconds for baseline removal (`0.4 · fs + 1` samples, made odd; nil: none).
    public var baselineSeconds: Double? = 0.4
    public var zscore: ZScore = .record
    public var epsilon: Double = 1e-8

    public init() {}

    /// The chain's filters for one sampling rate, designed once per signal or dataset (not per lead).
    struct Design {
        var notch: IIRFilter?
        var bandpass: IIRFilter?
        var medianKernel: Int?
    }

    func design(rate: Double) throws -> Design {
        var d = Design()
        if let f = notch {
            guard f < rate / 2 else {
                throw EngineError(
                    "preprocess",
                    "a \(f) Hz notch needs a sampling rate above \(2 * f) Hz, the signal has \(rate) Hz (pass notch=nil: mains hum cannot "
                        + "appear at this rate)"
                )
            }
            d.notch = try FilterDesign.notch(frequency: f, q: notchQ, rate: rate)
        }
        if let (lo, hi) = bandpass {
            d.bandpass = try FilterDesign.butterworth(order: bandpassOrder, cutoff: [lo, hi], type: .bandpass, rate: rate)
        }
        if let s = baselineSeconds {
            let k = Int(s * rate) + 1
            d.medianKernel = k % 2 == 0 ? k + 1 : k
        }
        return d
    }

    /// Filters one lead (Double precision throughout).
    func filterLead(_ x: [Double], _ d: Design) throws -> [Double] {
        var y = x.map { $0.isFinite ? $0 : 0 }
        if let n = d.notch { y = try LinearFilter.filtfilt(n, y) }
        if let bp = d.bandpass { y = try LinearFilter.filtfilt(bp, y) }
        if let k = d.medianKernel {
            let base = try MedianFilter.apply(y, kernel: k)
            for i in y.indices { y[i] -= base[i] }
        }
        return y
    }

    /// Processes a `(leads, samples)` signal; the record z-score uses one mean and std over all leads.
    public func apply(signal: Tensor, rate: Double) throws -> Tensor {
        try apply(signal: signal, design: try design(rate: rate))
    }

    func apply(signal: Tensor, design d: Design) throws -> Tensor {
        guard signal.rank == 2 else {
            throw EngineError("preprocess", "expected a (leads, samples) signal, got \(shapeString(signal.shape))")
        }
        let C = signal.shape[0], L = signal.shape[1]
        let out = Tensor(zeros: [C, L], zeroed: false)
        var sum = 0.0, sq = 0.0
        for c in 0..<C {
            let lead = (0..<L).map { Double(signal.data[c * L + $0]) }
            let y = try filterLead(lead, d)
            for i in 0..<L { out.data[c * L + i] = Float(y[i]); sum += y[i]; sq += y[i] * y[i] }
        }
        if zscore == .record {
            let n = Double(C * L)
            let mean = sum / n, std = max(0, sq / n - mean * mean).squareRoot()
            let inv = 1 / (std + epsilon)
            for i in 0..<(C * L) { out.data[i] = Float((Double(out.data[i]) - mean) * inv) }
        }
        return out
    }

    /// Processes one record, remembering the chain in it.
    public func apply(to r: ECGRecord) throws -> ECGRecord {
        var out = r
        out.signal = try apply(signal: r.signal, rate: r.rate)
        out.preprocessing = self
        return out
    }

    /// Processes every record of a dataset (in parallel) into new storage; `global` z-scoring is fitted
    /// on the training split afterwards, `record` z-scoring replaces any global standardisation.
    public func apply(to ds: ECGDataset) throws -> ECGDataset {
        let N = ds.signals.shape[0], C = ds.leads.count, L = ds.length
        let out = Tensor(zeros: [N, C, L], zeroed: false)
        let src = ds.signals, dst = out.data
        let d = try design(rate: ds.rate)
        do {
            try Parallel.forEach(N) { r in
                let sig = Tensor(zeros: [C, L], zeroed: false)
                sig.data.update(from: src.data + r * C * L, count: C * L)
                let y = try apply(signal: sig, design: d)
                (dst + r * C * L).update(from: y.data, count: C * L)
            }
        } catch let e as IndexedError {
            throw EngineError("preprocess", "record \(ds.recordNames[e.index]): \(e.error)")
        }
        var result = try ECGDataset(
            name: ds.name, rate: ds.rate, leads: ds.leads, classes: ds.classes, signals: out,
            targets: ds.targets, recordNames: ds.recordNames, folds: ds.folds, statements: ds.statements)
        result.indices = ds.indices
        result.split = ds.split
        result.preprocessing = self
        if zscore == .global { result = try result.standardized() }
        return result
    }
}

extension ECGRecord {
    /// The record resampled to `rate` Hz (every lead, anti-aliased polyphase filter).
    public func resampled(to rate: Double) throws -> ECGRecord {
        let L = sampleCount, C = leads.count
        var rows: [[Double]] = []
        for c in 0..<C { rows.append(try Resample.rate((0..<L).map { Double(signal.data[c * L + $0]) }, from: self.rate, to: rate)) }
        var r = self
        r.signal = Tensor(rows.flatMap { $0.map(Float.init) }, shape: [C, rows.first?.count ?? 0])
        r.rate = rate
        return r
    }
}

extension ECGDataset {
    /// The same records resampled to `rate` Hz (anti-aliased polyphase filter), standardisation refitted.
    public func resampled(to rate: Double) throws -> ECGDataset {
        let N = signals.shape[0], C = leads.count, L = length
        let first = try Resample.rate(Array(repeating: 0, count: L), from: self.rate, to: rate).count
        guard first > 0 else { throw EngineError("resample", "resampling \(L) samples from \(self.rate) to \(rate) Hz leaves none") }
        let out = Tensor(zeros: [N, C, first], zeroed: false)
        let src = signals.data, dst = out.data, from = self.rate
        Parallel.forEachChunk(N * C, grain: 8) { range in
            for row in range {
                let x = (0..<L).map { Double(src[row * L + $0]) }
                let y = (try? Resample.rate(x, from: from, to: rate)) ?? []
                for i in 0..<first { dst[row * first + i] = i < y.count ? Float(y[i]) : 0 }
            }
        }
        var result = try ECGDataset(
            name: name, rate: rate, leads: leads, classes: classes, signals: out, targets: targets,
            recordNames: recordNames, folds: folds, statements: statements)
        result.preprocessing = preprocessing
        result.indices = indices
        result.split = split
        if standardization != nil { result = try result.standardized() }
        return result
    }
}

/// One ECG: a `(leads, samples)` tensor of physical values with its rate, lead names and labels.
public struct ECGRecord: @unchecked Sendable {
    public var name: String
    /// Sampling frequency in Hz.
    public var rate: Double
    /// Lead (signal) names in row order, e.g. `I, II, III, AVR, …`.
    public var leads: [String]
    /// Physical units per lead (`mV`).
    public var units: [String]
    /// Physical values, shape `(leads, samples)`; invalid samples are NaN.
    public var signal: Tensor
    /// Label names (task classes the record is positive for), when known.
    public var labels: [String]
    /// Header comments (age, sex, diagnoses in many databases).
    public var comments: [String]
    /// The preprocessing chain the signal already went through (a dataset's record, `preprocess(r)`).
    public var preprocessing: Preprocess?

    public init(
        name: String, rate: Double, leads: [String], units: [String]? = nil, signal: Tensor,
        labels: [String] = [], comments: [String] = []
    ) {
        self.name = name
        self.rate = rate
        self.leads = leads
        self.units = units ?? Array(repeating: "mV", count: leads.count)
        self.signal = signal
        self.labels = labels
        self.comments = comments
    }

    public var sampleCount: Int { signal.shape.count > 1 ? signal.shape[1] : 0 }
    public var seconds: Double { Double(sampleCount) / rate }
}

/// The standard 12-lead order used by PTB-XL and ECGFounder.
public let standardLeads = ["I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"]

extension ECGRecord {
    /// The record from `start` seconds on (the rest of it), keeping labels and metadata.
    public func window(from start: Double) throws -> ECGRecord {
        let first = Int((start * rate).rounded())
        guard start >= 0, first < sampleCount else {
            throw EngineError("record", "start \(start) s is outside the record (\(String(format: "%.2f", seconds)) s long)")
        }
        let n = sampleCount - first, C = leads.count
        let out = Tensor(zeros: [C, n], zeroed: false)
        for c in 0..<C { (out.data + c * n).update(from: signal.data + c * sampleCount + first, count: n) }
        var r = self
        r.signal = out
        return r
    }

    /// Only the named leads (case-insensitive), in the order given.
    public func selecting(leads names: [String]) throws -> ECGRecord {
        let upper = leads.map { $0.uppercased() }
        let idx = try names.map { name -> Int in
            guard let i = upper.firstIndex(of: name.uppercased()) else {
                let hint = didYouMean(name, among: leads)
                throw EngineError("record", "no lead '\(name)'\(hint); leads: \(leads.joined(separator: ", "))")
            }
            return i
        }
        let L = sampleCount
        let out = Tensor(zeros: [idx.count, L], zeroed: false)
        for (k, i) in idx.enumerated() { (out.data + k * L).update(from: signal.data + i * L, count: L) }
        var r = self
        r.signal = out
        r.leads = idx.map { leads[$0] }
        r.units = idx.map { i in i < units.count ? units[i] : "mV" }
        return r
    }
}

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

    public init(name: String, rate: Double, leads: [String], units: [String]? = nil, signal: Tensor,
                labels: [String] = [], comments: [String] = []) {
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

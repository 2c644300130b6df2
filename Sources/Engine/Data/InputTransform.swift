import Foundation

/// What turns a recording into the input a model was trained on: the training data's sampling rate,
/// lead order, preprocessing chain and global standardisation. A model trained by a recipe carries the
/// transform of its training data (also in its saved file), so that a single `ECGRecord` can be given to
/// it the way the dataset's records were; a tensor is always taken as a finished model input.
public struct InputTransform: Sendable, Equatable {
    public var rate: Double
    public var leads: [String]
    /// Samples per training record (informative: Net1D pools over time and takes any length).
    public var length: Int
    public var classes: [String]
    /// The preprocessing applied to the training records before standardisation, if any.
    public var preprocess: Preprocess?
    /// The global z-score of the training split, if the dataset was standardised.
    public var mean: Float?
    public var std: Float?

    public init(_ ds: ECGDataset) {
        rate = ds.rate
        leads = ds.leads
        length = ds.length
        classes = ds.classes
        preprocess = ds.preprocessing
        mean = ds.standardization?.mean
        std = ds.standardization?.std
    }

    /// The model input `(1, leads, samples)` for one record: leads picked by name (case-insensitive),
    /// resampled to the training rate, preprocessed (unless the record says it already was, with the
    /// same chain), NaN → 0 and standardised as the training data were.
    public func input(for record: ECGRecord, op: String) throws -> Tensor {
        var r: ECGRecord
        do { r = try record.selecting(leads: leads) } catch {
            let present = Set(record.leads.map { $0.uppercased() })
            let missing = leads.first { !present.contains($0.uppercased()) } ?? "?"
            throw EngineError(
                op,
                "the model was trained on leads \(leads.joined(separator: ", ")) but record '\(record.name)' has no lead '\(missing)' (it "
                    + "has \(record.leads.joined(separator: ", ")))"
            )
        }
        if let done = record.preprocessing, done != preprocess {
            throw EngineError(
                op,
                "record '\(record.name)' was preprocessed differently (\(done.encoded)) from the model's training data "
                    + "(\(preprocess?.encoded ?? "no preprocessing")): give it the raw record"
            )
        }
        if r.rate != rate {
            guard record.preprocessing == nil else {
                throw EngineError(
                    op,
                    "record '\(record.name)' is preprocessed at \(r.rate) Hz but the model was trained at \(rate) Hz: give it "
                        + "the raw record"
                )
            }
            r = try r.resampled(to: rate)
        }
        var x = r.signal
        if let p = preprocess, record.preprocessing == nil { x = try p.apply(signal: x, rate: rate) }
        let n = x.count
        let out = Tensor(zeros: [1] + x.shape, zeroed: false)
        let m = mean ?? 0, inv = 1 / (std ?? 1)
        for i in 0..<n {
            let v = x.data[i]
            out.data[i] = v.isFinite ? (v - m) * inv : 0
        }
        return out
    }

    /// Metadata entries for a saved model (strings, as safetensors metadata holds).
    public var metadata: [String: String] {
        var m: [String: String] = [
            "input.rate": "\(rate)", "input.leads": leads.joined(separator: ","), "input.length": "\(length)",
            "input.classes": classes.joined(separator: "\u{1F}")
        ]
        if let mean, let std { m["input.mean"] = "\(mean)"; m["input.std"] = "\(std)" }
        if let p = preprocess { m["input.preprocess"] = p.encoded }
        return m
    }

    /// Reads the transform back from saved metadata; nil when the file has none (a model not trained here).
    public init?(metadata m: [String: String], source: String) throws {
        guard let rateText = m["input.rate"] else { return nil }
        func bad(_ what: String) -> EngineError { EngineError("load_model", "\(source): metadata '\(what)' is malformed") }
        guard let rate = Double(rateText), rate > 0 else { throw bad("input.rate") }
        guard let leads = m["input.leads"]?.split(separator: ",").map(String.init), !leads.isEmpty else { throw bad("input.leads") }
        guard let length = Int(m["input.length"] ?? ""), length > 0 else { throw bad("input.length") }
        self.rate = rate
        self.leads = leads
        self.length = length
        classes = (m["input.classes"] ?? "").split(separator: "\u{1F}").map(String.init)
        if let a = m["input.mean"] {
            guard let mean = Float(a), let std = Float(m["input.std"] ?? ""), std > 0 else { throw bad("input.mean/input.std") }
            self.mean = mean
            self.std = std
        }
        if let p = m["input.preprocess"] { preprocess = try Preprocess(encoded: p, source: source) }
    }
}

extension Preprocess: Equatable {
    public static func == (a: Preprocess, b: Preprocess) -> Bool { a.encoded == b.encoded }

    /// `key=value` pairs separated by `;` (what a saved model's metadata holds).
    public var encoded: String {
        func opt(_ v: Double?) -> String { v.map { "\($0)" } ?? "none" }
        return [
            "notch=\(opt(notch))", "notch_q=\(notchQ)", "bandpass=\(bandpass.map { "\($0.0),\($0.1)" } ?? "none")",
            "bandpass_order=\(bandpassOrder)", "baseline=\(opt(baselineSeconds))", "zscore=\(zscore.rawValue)",
            "epsilon=\(epsilon)"
        ].joined(separator: ";")
    }

    init(encoded: String, source: String) throws {
        self.init()
        func bad(_ part: String) -> EngineError { EngineError("load_model", "\(source): preprocessing metadata '\(part)' is malformed") }
        for part in encoded.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw bad(String(part)) }
            let v = kv[1]
            func num() throws -> Double { guard let d = Double(v), d.isFinite else { throw bad(String(part)) }; return d }
            switch kv[0] {
            case "notch": notch = v == "none" ? nil : try num()
            case "notch_q": notchQ = try num()
            case "bandpass":
                if v == "none" {
                    bandpass = nil
                } else {
                    let e = v.split(separator: ",").compactMap { Double($0) }
                    guard e.count == 2 else { throw bad(String(part)) }
                    bandpass = (e[0], e[1])
                }
            case "bandpass_order": guard let o = Int(v), o >= 1, o <= 12 else { throw bad(String(part)) }; bandpassOrder = o
            case "baseline": baselineSeconds = v == "none" ? nil : try num()
            case "zscore": guard let z = ZScore(rawValue: v) else { throw bad(String(part)) }; zscore = z
            case "epsilon": epsilon = try num()
            default: throw bad(String(part))
            }
        }
    }
}

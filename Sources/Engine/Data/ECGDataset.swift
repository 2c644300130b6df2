/// A labelled set of equally long ECGs: a view (`indices`) onto shared signal and target storage,
/// so splits and subsets never copy signals.
public struct ECGDataset: @unchecked Sendable {
    public var name: String
    public var rate: Double
    public var leads: [String]
    /// Class names in target column order (sorted label strings for PTB-XL tasks).
    public var classes: [String]
    /// All records of the underlying set, `(records, leads, samples)`, physical units.
    public let signals: Tensor
    /// Multi-hot targets of all records, `(records, classes)`.
    public let targets: Tensor
    public let recordNames: [String]
    /// Stratified fold (1–10) per record of the underlying set.
    public let folds: [Int]
    /// The records of this view (rows of `signals`).
    public var indices: [Int]
    /// Which part this view is (`all`, `train`, `val`, `test`, or a subset description).
    public var split: String
    /// Global z-score `(x − mean) / std` applied when batches are made (fitted on the training split).
    public var standardization: (mean: Float, std: Float)?
    /// The preprocessing chain the signals went through (`Preprocess.apply(to:)`), if any.
    public var preprocessing: Preprocess?
    /// SCP statements behind the classes (PTB-XL), kept so the set can be written back as PTB-XL.
    public var statements: [String: SCPStatement]

    public init(
        name: String, rate: Double, leads: [String], classes: [String], signals: Tensor, targets: Tensor,
        recordNames: [String], folds: [Int], statements: [String: SCPStatement] = [:]
    ) throws {
        guard signals.rank == 3, signals.shape[1] == leads.count else {
            throw EngineError("dataset", "signals of shape \(shapeString(signals.shape)) do not match \(leads.count) leads")
        }
        let n = signals.shape[0]
        guard targets.shape == [n, classes.count], recordNames.count == n, folds.count == n else {
            throw EngineError(
                "dataset",
                "targets \(shapeString(targets.shape)), \(recordNames.count) names and \(folds.count) folds do not match \(n) records × "
                    + "\(classes.count) classes"
            )
        }
        self.name = name
        self.rate = rate
        self.leads = leads
        self.classes = classes
        self.signals = signals
        self.targets = targets
        self.recordNames = recordNames
        self.folds = folds
        self.indices = Array(0..<n)
        self.split = "all"
        self.statements = statements
    }

    public var count: Int { indices.count }
    /// Samples per record.
    public var length: Int { signals.shape[2] }
    public var seconds: Double { Double(length) / rate }

    /// The records of this view whose fold is in `folds`.
    public func folds(_ folds: Set<Int>, split: String) -> ECGDataset {
        var v = self
        v.indices = indices.filter { folds.contains(self.folds[$0]) }
        v.split = split
        return v
    }

    /// Folds 1–8, the benchmark's training split.
    public var train: ECGDataset { folds(Set(1...8), split: "train") }
    /// Fold 9, for model selection.
    public var val: ECGDataset { folds([9], split: "val") }
    /// Fold 10, never used for model selection.
    public var test: ECGDataset { folds([10], split: "test") }

    /// A view onto the given positions of this view.
    public func selecting(positions: [Int], split: String) throws -> ECGDataset {
        var v = self
        v.indices = try positions.map { p in
            guard p >= 0 && p < indices.count else {
                throw EngineError("dataset", "index \(p) is out of range for \(indices.count) records")
            }
            return indices[p]
        }
        v.split = split
        return v
    }

    /// Positive count per class in this view.
    public func classCounts() -> [Int] {
        let c = classes.count
        var counts = [Int](repeating: 0, count: c)
        for r in indices { for k in 0..<c where targets.data[r * c + k] > 0.5 { counts[k] += 1 } }
        return counts
    }

    /// Record `i` of this view (physical units, before standardisation), with its labels.
    public func record(_ i: Int) throws -> ECGRecord {
        guard i >= -count && i < count else { throw EngineError("dataset", "record \(i) is out of range for \(count) records") }
        let r = indices[i < 0 ? i + count : i]
        let per = leads.count * length
        let sig = Tensor(zeros: [leads.count, length], zeroed: false)
        sig.data.update(from: signals.data + r * per, count: per)
        let c = classes.count
        let labels = (0..<c).filter { targets.data[r * c + $0] > 0.5 }.map { classes[$0] }
        var rec = ECGRecord(name: recordNames[r], rate: rate, leads: leads, signal: sig, labels: labels)
        rec.preprocessing = preprocessing
        return rec
    }

    /// Fits the global z-score on this set's training split (one mean and std over every value of
    /// every training record) and applies it to this view and every view derived from it.
    public func standardized() throws -> ECGDataset {
        let tr = train
        let source = tr.count > 0 ? tr : self
        guard source.count > 0 else { throw EngineError("dataset", "cannot standardise an empty dataset") }
        let per = leads.count * length
        var sum = 0.0, sq = 0.0, n = 0
        for r in source.indices {
            let p = signals.data + r * per
            for j in 0..<per where p[j].isFinite { let v = Double(p[j]); sum += v; sq += v * v; n += 1 }
        }
        let mean = sum / Double(max(n, 1))
        let std = max((sq / Double(max(n, 1)) - mean * mean).squareRoot(), 1e-8)
        var v = self
        v.standardization = (Float(mean), Float(std))
        return v
    }
}

extension ECGDataset {
    /// The records of this view as a table: position in the view, record name, fold and labels (as
    /// PTB-XL's database lists them; `;`-separated).
    public func recordTable() throws -> Table {
        let K = classes.count
        let rows: [[Table.Cell]] = indices.enumerated().map { i, r in
            let labels = (0..<K).filter { targets.data[r * K + $0] > 0.5 }.map { classes[$0] }
            return [.number(Double(i)), .text(recordNames[r]), .number(Double(folds[r])), .text(labels.joined(separator: ";"))]
        }
        return try Table(title: "\(name) — \(split): \(indices.count) records", columns: ["index", "record", "fold", "labels"], rows: rows)
    }
}

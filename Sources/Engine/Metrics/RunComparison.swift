/// The table `compare` shows: one row per run, evaluation or group of seeds, with mean, sample standard
/// deviation and the mean of the members' interval bounds.
public enum RunComparison {
    /// What one member contributes: test metrics with intervals (an evaluation), or the selected epoch's
    /// validation metrics without intervals (a run).
    public struct Scores: Sendable {
        public var auroc: Double
        public var auprc: Double
        public var aurocCI: (Double, Double)?
        public var auprcCI: (Double, Double)?

        public init(auroc: Double, auprc: Double, aurocCI: (Double, Double)? = nil, auprcCI: (Double, Double)? = nil) {
            self.auroc = auroc
            self.auprc = auprc
            self.aurocCI = aurocCI
            self.auprcCI = auprcCI
        }

        public init(_ e: Evaluation) {
            auroc = e.auroc
            auprc = e.auprc
            aurocCI = e.aurocCI
            auprcCI = e.auprcCI
        }

        public init(_ r: Run) {
            auroc = r.bestValAUROC
            auprc = r.history.last { $0.valAUROC == r.bestValAUROC }?.valAUPRC ?? .nan
        }
    }

    public static let columns = ["item", "n", "auroc", "auroc_std", "auroc_lo", "auroc_hi", "auprc", "auprc_std", "auprc_lo", "auprc_hi"]

    /// One row: `members` summarised (nan bounds where no member has an interval).
    public static func row(_ name: String, _ members: [Scores]) throws -> [Table.Cell] {
        guard !members.isEmpty else { throw EngineError("compare", "\(name) has no members") }
        func meanStd(_ xs: [Double]) -> (Double, Double) {
            let m = xs.reduce(0, +) / Double(xs.count)
            let v = xs.count > 1 ? xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count - 1) : 0
            return (m, v.squareRoot())
        }
        func bounds(_ cis: [(Double, Double)?]) -> (Double, Double) {
            let have = cis.compactMap { $0 }
            guard !have.isEmpty else { return (.nan, .nan) }
            return (have.map(\.0).reduce(0, +) / Double(have.count), have.map(\.1).reduce(0, +) / Double(have.count))
        }
        let (ma, sa) = meanStd(members.map(\.auroc)), (mp, sp) = meanStd(members.map(\.auprc))
        let ba = bounds(members.map(\.aurocCI)), bp = bounds(members.map(\.auprcCI))
        return [
            .text(name), .number(Double(members.count)), .number(ma), .number(sa), .number(ba.0), .number(ba.1),
            .number(mp), .number(sp), .number(bp.0), .number(bp.1)
        ]
    }

    /// The table of `rows`, titled with the test set when every evaluation shares one.
    public static func table(_ rows: [[Table.Cell]], evaluations: [Evaluation]) throws -> Table {
        var title = "comparison"
        if let first = evaluations.first, evaluations.allSatisfy({ $0.sizeDescription == first.sizeDescription }) {
            title += " (test: \(first.sizeDescription))"
        }
        return try Table(title: title, columns: columns, rows: rows)
    }
}

import Engine
import Foundation

/// Gathers a sweep's runs into two tables: `results.csv`, one row per run (run, state, seconds, its
/// parameters, every value it glued, the failure message), and `summary.csv`, one row per group of runs
/// that differ only in the `over` parameters (seeds): the number of finished and failed runs and, for
/// each numeric glued value, its mean and sample standard deviation (ddof = 1, as pandas' `std`) over
/// the finished runs.
struct SweepCollector {
    let plan: SweepPlan
    /// Parameters averaged over in the summary (default: the grid's names containing "seed").
    let over: [String]

    struct Collected {
        var results: Table
        var summary: Table
        var failed: [(run: SweepRun, message: String)]
        var pending: [SweepRun]
    }

    func collect() throws -> Collected {
        let names = plan.grid.axes.map(\.name)
        var glued: [String] = []
        var rows: [(run: SweepRun, status: SweepRun.Status?, values: [String: GluedResults.Entry])] = []
        var failed: [(run: SweepRun, message: String)] = []
        var pending: [SweepRun] = []
        for run in plan.runs {
            let status = run.status
            var values: [String: GluedResults.Entry] = [:]
            if FileManager.default.fileExists(atPath: run.resultsFile) {
                for (name, v) in try GluedResults.read(run.resultsFile).values {
                    if !glued.contains(name) { glued.append(name) }
                    values[name] = v
                }
            }
            switch status?.state {
            case .failed: failed.append((run, status?.message ?? ""))
            case nil: pending.append(run)
            case .done: break
            }
            rows.append((run, status, values))
        }
        let resultRows = rows.map { r -> [Table.Cell] in
            let head: [Table.Cell] = [
                .number(Double(r.run.index)), .text(r.status?.state.rawValue ?? "not run"), .number(r.status?.seconds ?? .nan)
            ]
            let params: [Table.Cell] = r.run.parameters.map { Table.Cell(parsing: $0.value) }
            let values: [Table.Cell] = glued.map { r.values[$0]?.cell ?? .text("") }
            return head + params + values + [.text(r.status?.message ?? "")]
        }
        let results = try Table(title: "results", columns: ["run", "state", "seconds"] + names + glued + ["message"], rows: resultRows)
        // The summary: numeric values of finished runs, grouped by the parameters not averaged over.
        let keys = names.filter { !over.contains($0) }
        // Values every run glued as a number (a run that did not glue it is left out of its group's mean).
        let numeric = glued.filter { name in rows.allSatisfy { r in r.values[name].map { $0.number != nil } ?? true } }
        var groups: [[String]] = []
        var members: [[String]: [Int]] = [:]
        for (i, r) in rows.enumerated() {
            let key = keys.map { k in r.run.parameters.first { $0.name == k }!.value }
            if members[key] == nil { groups.append(key) }
            members[key, default: []].append(i)
        }
        let summaryRows = groups.map { key -> [Table.Cell] in
            let group = members[key]!.map { rows[$0] }
            let done = group.filter { $0.status?.state == .done }
            let failedCount = group.filter { $0.status?.state == .failed }.count
            let stats = numeric.flatMap { name -> [Table.Cell] in
                let xs = done.compactMap { $0.values[name]?.number }
                return [.number(Self.mean(xs)), .number(Self.sampleStd(xs))]
            }
            return key.map(Table.Cell.init(parsing:)) + [.number(Double(done.count)), .number(Double(failedCount))] + stats
        }
        let statColumns = numeric.flatMap { [$0 + "_mean", $0 + "_std"] }
        let summary = try Table(title: "summary", columns: keys + ["runs", "failed"] + statColumns, rows: summaryRows)
        return Collected(results: results, summary: summary, failed: failed, pending: pending)
    }

    static func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }

    static func sampleStd(_ xs: [Double]) -> Double {
        guard xs.count > 1 else { return .nan }
        let m = mean(xs)
        return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
    }
}

import Foundation

/// Builders for the figures users ask for: ECG paper, ROC/PR curves, training histories and general plots.
public enum Charts {
    /// How `plot_ecg` lays a record out.
    public enum ECGLayout: String, CaseIterable, Sendable {
        /// 3×4 leads with a lead II rhythm strip.
        case twelveLead = "12lead"
        /// The chosen leads (all by default) one above the other.
        case stack
        /// One lead (`leads`, else II when present, else the first) as a strip.
        case strip
    }

    /// ECG paper of `r` from `start` seconds (10 s shown), laid out as `layout` with the `leads` chosen.
    public static func ecg(_ r: ECGRecord, layout: ECGLayout, leads: [String]? = nil, start: Double = 0) throws -> Figure {
        var rec = start != 0 ? try r.window(from: start) : r
        if layout == .strip {
            guard leads == nil || leads!.count == 1 else {
                throw EngineError("plot_ecg", "a strip shows one lead; got \(leads!.count) (\(leads!.joined(separator: ", ")))")
            }
            rec = try rec.selecting(leads: [leads?[0] ?? (rec.leads.contains { $0.uppercased() == "II" } ? "II" : rec.leads[0])])
        } else if let leads {
            rec = try rec.selecting(leads: leads)
        }
        return ecg(rec, layout: layout == .twelveLead ? .twelveLead : .stack)
    }

    public static func ecg(_ r: ECGRecord, layout: ECGPaper.Layout) -> Figure {
        var title = r.name
        if !r.labels.isEmpty { title += " — " + r.labels.joined(separator: ", ") }
        let paper = ECGPaper(record: r, layout: layout, title: title)
        let (w, h) = ECGPaperRenderer.pageSize(paper)
        return Figure(width: w / 25.4, height: h / 25.4, dpi: 100, title: title, content: .ecg(paper))
    }

    static func selected(_ e: Evaluation, _ classes: [String]?) throws -> [Int] {
        guard let classes else { return Array(e.classes.indices) }
        return try classes.map { c in
            guard let i = e.classes.firstIndex(of: c) else {
                throw EngineError(
                    "plot", "unknown class '\(c)'\(didYouMean(c, among: e.classes)); classes: \(e.classes.joined(separator: ", "))")
            }
            return i
        }
    }

    static func column(_ t: Tensor, _ k: Int) -> [Float] {
        let K = t.shape[1]
        return (0..<t.shape[0]).map { t.data[$0 * K + k] }
    }

    /// The square ROC or PR figure of `ax`, with the mean over `count` classes of the curves summed in `sum`
    /// drawn black (when there is more than one class).
    static func macroAverage(_ ax: Axes, grid: [Double], sum: [Double], count n: Int, label: String) -> Figure {
        var ax = ax
        if n > 1 {
            ax.artists.append(.line(xs: grid, ys: sum.map { $0 / Double(n) }, color: .black, width: 2.2, dashed: false, label: label))
        }
        return Figure(width: 6, height: 6, content: .axes([ax], columns: 1))
    }

    /// The title of a ROC or PR figure: the macro value for several classes, the class's own for one, and the
    /// classes the curves leave out (a ROC needs both label values, a PR curve a positive).
    static func curveTitle(
        _ kind: String, metric: String, macro: Double, perClass: [Double], _ e: Evaluation, _ shown: [Int], _ omitted: [Int]
    ) -> String {
        let value =
            shown.count == 1
            ? "\(e.classes[shown[0]]) \(metric == "AUROC" ? "AUC" : "AP") \(Table.format(perClass[shown[0]]))"
            : "macro \(metric) \(Table.format(macro))"
        let left = omitted.isEmpty ? "" : "; not drawn: \(omitted.map { e.classes[$0] }.joined(separator: ", "))"
        return "\(kind) — \(value), \(e.scores.shape[0]) records\(left)"
    }

    /// ROC per class (AUC in the legend), macro average (mean TPR on a common FPR grid), chance diagonal.
    public static func roc(_ e: Evaluation, classes: [String]?) throws -> Figure {
        var ax = Axes()
        let chosen = try selected(e, classes)
        let shown = chosen.filter { !e.perClassAUROC[$0].isNaN }
        ax.title = curveTitle(
            "ROC", metric: "AUROC", macro: e.auroc, perClass: e.perClassAUROC, e, shown, chosen.filter { !shown.contains($0) })
        ax.xlabel = "false positive rate"; ax.ylabel = "true positive rate"
        ax.xlim = (0, 1); ax.ylim = (0, 1); ax.equalAspect = true
        ax.artists.append(.line(xs: [0, 1], ys: [0, 1], color: .gray, width: 1, dashed: true, label: "chance"))
        let grid = (0...100).map { Double($0) / 100 }
        var meanTPR = [Double](repeating: 0, count: grid.count), n = 0
        for (j, k) in shown.enumerated() {
            let c = RankingMetrics.rocCurve(scores: column(e.scores, k), labels: column(e.labels, k).map { $0 > 0.5 })
            ax.artists.append(
                .line(
                    xs: c.fpr, ys: c.tpr, color: Color.cycle[j % 10], width: 1.3, dashed: false,
                    label: "\(e.classes[k]) (AUC \(String(format: "%.3f", e.perClassAUROC[k])), \(e.positives[k]) pos.)"))
            for (g, x) in grid.enumerated() { meanTPR[g] += interpolate(c.fpr, c.tpr, at: x) }
            n += 1
        }
        return macroAverage(ax, grid: grid, sum: meanTPR, count: n, label: "macro average (AUC \(String(format: "%.3f", e.auroc)))")
    }

    /// Precision–recall per class (AP in the legend), macro average, prevalence as the chance line.
    public static func pr(_ e: Evaluation, classes: [String]?) throws -> Figure {
        var ax = Axes()
        let chosen = try selected(e, classes)
        let shown = chosen.filter { !e.perClassAUPRC[$0].isNaN && e.positives[$0] > 0 }
        ax.title = curveTitle(
            "Precision–recall", metric: "AUPRC", macro: e.auprc, perClass: e.perClassAUPRC, e, shown, chosen.filter { !shown.contains($0) })
        ax.xlabel = "recall"; ax.ylabel = "precision"
        ax.xlim = (0, 1); ax.ylim = (0, 1.02); ax.equalAspect = true
        let grid = (0...100).map { Double($0) / 100 }
        var mean = [Double](repeating: 0, count: grid.count), n = 0
        for (j, k) in shown.enumerated() {
            let labels = column(e.labels, k).map { $0 > 0.5 }
            let c = RankingMetrics.prCurve(scores: column(e.scores, k), labels: labels)
            let color = Color.cycle[j % 10]
            let rec = Array(c.recall.reversed()), prec = Array(c.precision.reversed())
            ax.artists.append(
                .step(
                    xs: rec, ys: prec, color: color, width: 1.3,
                    label: "\(e.classes[k]) (AP \(String(format: "%.3f", e.perClassAUPRC[k])), \(e.positives[k]) pos.)"))
            let prevalence = Double(labels.filter { $0 }.count) / Double(max(labels.count, 1))
            ax.artists.append(
                .line(
                    xs: [0, 1], ys: [prevalence, prevalence], color: Color(color.r, color.g, color.b, 0.5), width: 0.8, dashed: true,
                    label: nil))
            for (g, x) in grid.enumerated() { // interpolated precision: best precision at recall ≥ x
                mean[g] += zip(rec, prec).filter { $0.0 >= x }.map(\.1).max() ?? 0
            }
            n += 1
        }
        return macroAverage(ax, grid: grid, sum: mean, count: n, label: "macro average (AP \(String(format: "%.3f", e.auprc)))")
    }

    static func interpolate(_ xs: [Double], _ ys: [Double], at x: Double) -> Double {
        guard let i = xs.firstIndex(where: { $0 >= x }) else { return ys.last ?? 0 }
        if i == 0 || xs[i] == x { return ys[i] }
        let t = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
        return ys[i - 1] + t * (ys[i] - ys[i - 1])
    }

    /// Per-epoch metrics of one or more runs: one panel per metric, runs overlaid, best epochs marked.
    public static func history(_ runs: [Run], metrics: [HistoryMetric]) throws -> Figure {
        var panels: [Axes] = []
        for m in metrics {
            var ax = Axes()
            ax.title = m.rawValue.replacingOccurrences(of: "_", with: " ")
            ax.integerX = true
            let previews = runs.contains { $0.history.contains { $0.phase == .preview } && $0.history.contains { $0.phase == .finetune } }
            ax.xlabel = previews ? "epoch of fine-tuning (preview epochs at 0 and below)" : "epoch"
            for (j, run) in runs.enumerated() {
                let color = Color.cycle[j % 10]
                let xs = epochPositions(run)
                let ys = run.history.map(m.value)
                ax.artists.append(
                    .line(xs: xs, ys: ys, color: color, width: 1.6, dashed: false, label: runs.count > 1 || j == 0 ? run.recipe : nil))
                ax.artists.append(.markers(xs: xs, ys: ys, color: color, size: 2, label: nil))
                // Mark the selected epoch: "best epoch b" of the run's last phase is at x = b.
                if let b = run.bestEpoch, let i = run.history.indices.last(where: { xs[$0] == Double(b) }) {
                    ax.artists.append(.markers(xs: [Double(b)], ys: [ys[i]], color: color, size: 5, label: nil))
                }
                if run.history.first?.phase == .preview, run.history.contains(where: { $0.phase == .finetune }) {
                    let (lo, hi) = Ticks.range(ys)
                    ax.artists.append(
                        .line(
                            xs: [0.5, 0.5], ys: [lo, hi], color: Color(0.6, 0.6, 0.6), width: 0.8, dashed: true,
                            label: j == 0 ? "preview → fine-tuning" : nil))
                }
            }
            panels.append(ax)
        }
        return Figure(width: 4 * Double(max(1, panels.count)), height: 3.6, content: .axes(panels, columns: max(1, panels.count)))
    }

    /// The x of each history entry: its epoch within its phase as the run reports it (fine-tuning 1, 2, …);
    /// preview epochs before fine-tuning count back from 0 (…, −1, 0).
    static func epochPositions(_ run: Run) -> [Double] {
        let previews = run.history.filter { $0.phase == .preview }.count
        let finetunes = run.history.contains { $0.phase == .finetune }
        return run.history.map { h in
            h.phase == .preview && finetunes ? Double(h.epoch - previews) : Double(h.epoch)
        }
    }

    public static func line(_ xs: [Double], _ ys: [Double], label: String?, xlabel: String, ylabel: String, markers: Bool) throws -> Figure
    {
        guard xs.count == ys.count else { throw EngineError("plot", "x has \(xs.count) values but y has \(ys.count)") }
        guard !xs.isEmpty else { throw EngineError("plot", "nothing to plot") }
        var ax = Axes()
        ax.xlabel = xlabel; ax.ylabel = ylabel
        ax.artists =
            markers
            ? [.markers(xs: xs, ys: ys, color: Color.cycle[0], size: 2.5, label: label)]
            : [.line(xs: xs, ys: ys, color: Color.cycle[0], width: 1.5, dashed: false, label: label)]
        return Figure(content: .axes([ax], columns: 1))
    }

    /// Bars from a table's columns: labels from `x` (default the first column), heights from `y` (default
    /// the first all-numeric column), optional interval bounds from `lo`/`hi`; the y label defaults to `y`'s name.
    public static func bar(_ t: Table, x: String?, y: String?, lo: String?, hi: String?, ylabel: String?) throws -> Figure {
        guard let first = t.columns.first else { throw EngineError("bar", "the table has no columns") }
        let ycol = try y ?? t.columns.first { c in try t.column(c).allSatisfy { $0.number != nil } } ?? first
        func numbers(_ c: String) throws -> [Double] { try t.column(c).map { $0.number ?? .nan } }
        return try bar(
            try t.column(x ?? first).map(\.text), try numbers(ycol), lo: try lo.map(numbers), hi: try hi.map(numbers),
            ylabel: ylabel ?? ycol)
    }

    public static func bar(_ labels: [String], _ values: [Double], lo: [Double]?, hi: [Double]?, ylabel: String) throws -> Figure {
        guard labels.count == values.count, !values.isEmpty else {
            throw EngineError("bar", "need as many labels as values (got \(labels.count) and \(values.count))")
        }
        var ax = Axes()
        ax.ylabel = ylabel
        ax.xticklabels = labels
        ax.legend = false
        let el = lo.map { zip(values, $0).map { $0 - $1 } }, eh = hi.map { zip($0, values).map { $0 - $1 } }
        ax.artists = [
            .bars(
                xs: values.indices.map(Double.init), heights: values, width: 0.6, color: Color.cycle[0], errLow: el, errHigh: eh, label: nil
            )
        ]
        // Bars start at 0: a bar's length is its value (a zoomed axis exaggerates differences).
        let finite = (values + (lo ?? []) + (hi ?? [])).filter { $0.isFinite }
        if let mn = finite.min(), let mx = finite.max() {
            let low = min(0, mn), high = max(0, mx)
            let pad = (high - low) * 0.06
            ax.ylim = (low < 0 ? low - pad : 0, high > 0 ? high + pad : pad)
        }
        ax.xlim = (-0.6, Double(values.count) - 0.4)
        return Figure(width: max(5, 1.3 * Double(values.count) + 1.5), height: 4, content: .axes([ax], columns: 1))
    }

    public static func histogram(_ values: [Double], bins: Int, xlabel: String) throws -> Figure {
        let v = values.filter { $0.isFinite }
        guard let lo = v.min(), let hi = v.max() else { throw EngineError("hist", "no finite values") }
        let w = hi > lo ? (hi - lo) / Double(bins) : 1
        var counts = [Double](repeating: 0, count: bins)
        for x in v { counts[min(bins - 1, Int((x - lo) / w))] += 1 }
        var ax = Axes()
        ax.xlabel = xlabel; ax.ylabel = "count"; ax.legend = false
        ax.artists = [
            .bars(
                xs: (0..<bins).map { lo + (Double($0) + 0.5) * w }, heights: counts, width: w * 0.95, color: Color.cycle[0], errLow: nil,
                errHigh: nil, label: nil)
        ]
        return Figure(content: .axes([ax], columns: 1))
    }
}

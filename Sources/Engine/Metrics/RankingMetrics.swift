/// Binary ranking metrics with scikit-learn's definitions, on one class column, with optional sample
/// weights (`sample_weight`; a bootstrap resample's multiplicities are weights too):
/// AUROC = `roc_auc_score` (ties count one half), AP = `average_precision_score`
/// (Σ (Rₙ − Rₙ₋₁) Pₙ over distinct thresholds, descending).
public enum RankingMetrics {
    /// Indices of `scores` in descending order (stable).
    public static func descendingOrder(_ scores: [Float]) -> [Int] {
        Array(scores.indices).sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    }

    /// AUROC and AP of one class; NaN when the (weighted) labels hold only one class (AP: no positive).
    /// `order` must be `descendingOrder(scores)`; `weights` nil means weight 1 each.
    public static func aurocAndAP(scores: [Float], labels: [Bool], order: [Int], weights: [Double]? = nil) -> (auroc: Double, ap: Double) {
        var P = 0.0, N = 0.0
        for i in order {
            let w = weights?[i] ?? 1
            if labels[i] { P += w } else { N += w }
        }
        if P == 0 { return (.nan, .nan) }
        var tp = 0.0, fp = 0.0, aucSum = 0.0, ap = 0.0, lastRecall = 0.0
        var k = 0
        while k < order.count {
            let s = scores[order[k]]
            var gtp = 0.0, gfp = 0.0
            while k < order.count && scores[order[k]] == s {
                let i = order[k]
                let w = weights?[i] ?? 1
                if labels[i] { gtp += w } else { gfp += w }
                k += 1
            }
            if gtp == 0 && gfp == 0 { continue }
            aucSum += gfp * (tp + 0.5 * gtp)
            tp += gtp
            fp += gfp
            let recall = tp / P
            ap += (recall - lastRecall) * (tp / (tp + fp))
            lastRecall = recall
        }
        return (N == 0 ? .nan : aucSum / (P * N), ap)
    }

    /// ROC curve points `(fpr, tpr, threshold)` at every distinct score, starting at (0, 0, +inf)
    /// (`roc_curve(drop_intermediate=False)`).
    public static func rocCurve(scores: [Float], labels: [Bool]) -> (fpr: [Double], tpr: [Double], thresholds: [Double]) {
        let order = descendingOrder(scores)
        let P = Double(labels.filter { $0 }.count), N = Double(labels.count) - P
        var fpr = [0.0], tpr = [0.0], th = [Double.infinity]
        var tp = 0.0, fp = 0.0, k = 0
        while k < order.count {
            let s = scores[order[k]]
            while k < order.count && scores[order[k]] == s { if labels[order[k]] { tp += 1 } else { fp += 1 }; k += 1 }
            fpr.append(N > 0 ? fp / N : .nan); tpr.append(P > 0 ? tp / P : .nan); th.append(Double(s))
        }
        return (fpr, tpr, th)
    }

    /// Precision–recall points `(precision, recall, threshold)` at every distinct score in order of increasing
    /// threshold, ending at (1, 0), as `precision_recall_curve` does (scikit-learn ≥ 1.3 keeps every threshold).
    public static func prCurve(scores: [Float], labels: [Bool]) -> (precision: [Double], recall: [Double], thresholds: [Double]) {
        let order = descendingOrder(scores)
        let P = Double(labels.filter { $0 }.count)
        var prec: [Double] = [], rec: [Double] = [], th: [Double] = []
        var tp = 0.0, fp = 0.0, k = 0
        while k < order.count {
            let s = scores[order[k]]
            while k < order.count && scores[order[k]] == s { if labels[order[k]] { tp += 1 } else { fp += 1 }; k += 1 }
            prec.append(tp / (tp + fp)); rec.append(P > 0 ? tp / P : .nan); th.append(Double(s))
        }
        return (prec.reversed() + [1], rec.reversed() + [0], th.reversed())
    }
}

/// Metrics of one class at a decision threshold (a record is called positive when its score is at least the
/// threshold), as clinicians read a test: sensitivity (recall), specificity, PPV (precision) and F1, with the
/// confusion counts; what scikit-learn's `precision_recall_fscore_support` and a confusion matrix give for
/// `y_pred = y_score >= t`. An undefined ratio (no positives, nothing called positive) is NaN.
public struct ThresholdMetrics: Sendable, Equatable {
    public var threshold: Double
    public var tp: Int, fp: Int, tn: Int, fn: Int

    public var sensitivity: Double { ratio(tp, tp + fn) }
    public var specificity: Double { ratio(tn, tn + fp) }
    public var ppv: Double { ratio(tp, tp + fp) }
    public var f1: Double { ratio(2 * tp, 2 * tp + fp + fn) }

    func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? .nan : Double(a) / Double(b) }

    public init(scores: [Float], labels: [Bool], threshold: Double) {
        self.threshold = threshold
        tp = 0; fp = 0; tn = 0; fn = 0
        for (s, y) in zip(scores, labels) {
            let called = Double(s) >= threshold
            switch (called, y) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
    }

    /// How a threshold is chosen on validation data.
    public enum Rule: String, CaseIterable, Sendable {
        /// The largest F1 (the operating point of the PTB-XL benchmark's F-max, per class).
        case f1
        /// The largest Youden index, sensitivity + specificity − 1.
        case youden
    }

    /// The score threshold that maximises `rule` over the distinct scores (ties: the highest threshold, the
    /// fewer positive calls); 0.5 when the class has no positive or no negative. One pass over the sorted scores
    /// (a validation split of the full PTB-XL has ~2,200 records per class).
    public static func choose(scores: [Float], labels: [Bool], rule: Rule) -> Double {
        let P = labels.filter { $0 }.count, N = labels.count - P
        guard P > 0, N > 0 else { return 0.5 }
        // One sweep down the sorted scores: after each run of equal scores, the counts at that threshold.
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var tp = 0, fp = 0, k = 0
        var best = 0.5, bestValue = -Double.infinity
        while k < order.count {
            let t = scores[order[k]]
            while k < order.count && scores[order[k]] == t {
                if labels[order[k]] { tp += 1 } else { fp += 1 }
                k += 1
            }
            let v = rule == .f1 ? Double(2 * tp) / Double(2 * tp + fp + (P - tp)) : Double(tp) / Double(P) - Double(fp) / Double(N)
            if v > bestValue { bestValue = v; best = Double(t) }
        }
        return best
    }
}

extension Evaluation {
    /// Per-class metrics at `thresholds` (one per class).
    public func atThresholds(_ thresholds: [Double]) throws -> [ThresholdMetrics] {
        guard thresholds.count == classes.count else {
            throw EngineError("thresholds", "\(thresholds.count) thresholds for \(classes.count) classes")
        }
        let K = classes.count, N = scores.shape[0]
        return (0..<K).map { k in
            ThresholdMetrics(
                scores: (0..<N).map { scores.data[$0 * K + k] }, labels: (0..<N).map { labels.data[$0 * K + k] > 0.5 },
                threshold: thresholds[k])
        }
    }

    /// Per-class thresholds chosen by `rule` on these scores (use an evaluation of the validation split).
    public func chooseThresholds(rule: ThresholdMetrics.Rule) -> [Double] {
        let K = classes.count, N = scores.shape[0]
        return (0..<K).map { k in
            ThresholdMetrics.choose(
                scores: (0..<N).map { scores.data[$0 * K + k] }, labels: (0..<N).map { labels.data[$0 * K + k] > 0.5 }, rule: rule)
        }
    }
}

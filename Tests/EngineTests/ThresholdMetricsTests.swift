import Testing

@testable import Engine

/// Sensitivity, specificity, PPV and F1 at a threshold (scikit-learn's `precision_recall_fscore_support` on
/// `y_score >= t`), and thresholds chosen by F1 or Youden's index.
@Suite struct ThresholdMetricsTests {
    // 10 records: scores and labels chosen so that every count is different.
    static let scores: [Float] = [0.95, 0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2, 0.1]
    static let labels: [Bool] = [true, true, false, true, false, true, false, false, true, false]

    @Test func countsAndRatiosAtAThreshold() {
        let m = ThresholdMetrics(scores: Self.scores, labels: Self.labels, threshold: 0.55)
        #expect((m.tp, m.fp, m.tn, m.fn) == (4, 2, 3, 1))
        #expect(m.sensitivity == 0.8 && m.specificity == 0.6 && abs(m.ppv - 4.0 / 6) < 1e-12 && abs(m.f1 - 8.0 / 11) < 1e-12)
        // Nothing called positive: PPV undefined (NaN), F1 0 as 2·0 / (0 + 0 + 5).
        let none = ThresholdMetrics(scores: Self.scores, labels: Self.labels, threshold: 2)
        #expect(none.ppv.isNaN && none.f1 == 0 && none.sensitivity == 0 && none.specificity == 1)
    }

    @Test func chosenThresholdsMaximiseTheirRule() {
        for rule in ThresholdMetrics.Rule.allCases {
            let t = ThresholdMetrics.choose(scores: Self.scores, labels: Self.labels, rule: rule)
            func value(_ t: Double) -> Double {
                let m = ThresholdMetrics(scores: Self.scores, labels: Self.labels, threshold: t)
                return rule == .f1 ? m.f1 : m.sensitivity + m.specificity - 1
            }
            let brute = Self.scores.map { value(Double($0)) }.filter { !$0.isNaN }.max()!
            #expect(value(t) == brute, "\(rule): threshold \(t)")
        }
        #expect(ThresholdMetrics.choose(scores: [0.1, 0.2], labels: [false, false], rule: .f1) == 0.5)
    }

    @Test func perClassThroughAnEvaluation() throws {
        let labels = Tensor([1, 0, 0, 1, 1, 0, 0, 0], shape: [4, 2])
        let scores = Tensor([0.9, 0.2, 0.4, 0.8, 0.6, 0.3, 0.1, 0.1], shape: [4, 2])
        let ev = try Evaluation(classes: ["A", "B"], scores: scores, labels: labels)
        let at = try ev.atThresholds([0.5, 0.5])
        #expect((at[0].tp, at[0].fp, at[0].tn, at[0].fn) == (2, 0, 2, 0))
        #expect((at[1].tp, at[1].fp, at[1].tn, at[1].fn) == (1, 0, 3, 0))
        #expect(throws: EngineError.self) { try ev.atThresholds([0.5]) }
        #expect(ev.chooseThresholds(rule: .f1) == [Double(Float(0.6)), Double(Float(0.8))])
    }
}

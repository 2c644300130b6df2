import Foundation
import Testing
@testable import Engine

/// Metrics against scikit-learn (scripts/make_metrics_reference.py → Tests/Fixtures/metrics/sklearn.json).
@Suite struct EvaluationTests {
    struct Case: Decodable {
        var scores: [[Float]]
        var labels: [[Int]]
        var auroc: [Double?]
        var ap: [Double]
        var macro_auroc: Double
        var macro_ap: Double
        var roc1: [String: [Double]]?
        var pr1: [String: [Double]]?
        var weights: [Double]?
        var macro_ap_exclude: Double?
    }
    static let cases: [String: Case] = {
        let url = Fixtures.root.appendingPathComponent("metrics/sklearn.json")
        return (try? JSONDecoder().decode([String: Case].self, from: Data(contentsOf: url))) ?? [:]
    }()

    func tensors(_ c: Case) -> (Tensor, Tensor) {
        let n = c.scores.count, k = c.scores[0].count
        return (Tensor(c.scores.flatMap { $0 }, shape: [n, k]), Tensor(c.labels.flatMap { $0.map(Float.init) }, shape: [n, k]))
    }

    @Test(arguments: ["random", "tied", "rare"])
    func equalsScikitLearn(name: String) throws {
        let c = try #require(Self.cases[name])
        let (s, y) = tensors(c)
        let ev = try Evaluation(classes: (0..<c.auroc.count).map { "c\($0)" }, scores: s, labels: y)
        for k in c.auroc.indices {
            #expect(abs(ev.perClassAUROC[k] - c.auroc[k]!) < 1e-12, "AUROC class \(k)")
            #expect(abs(ev.perClassAUPRC[k] - c.ap[k]) < 1e-12, "AP class \(k)")
        }
        #expect(abs(ev.auroc - c.macro_auroc) < 1e-12 && abs(ev.auprc - c.macro_ap) < 1e-12)
        let col = (0..<c.scores.count).map { c.scores[$0][1] }, lab = (0..<c.scores.count).map { c.labels[$0][1] == 1 }
        let roc = RankingMetrics.rocCurve(scores: col, labels: lab)
        #expect(roc.fpr == c.roc1?["fpr"] && roc.tpr == c.roc1?["tpr"])
        let pr = RankingMetrics.prCurve(scores: col, labels: lab)
        #expect(pr.recall == c.pr1?["recall"])
        for (a, b) in zip(pr.precision, c.pr1?["precision"] ?? []) { #expect(abs(a - b) < 1e-12) }
    }

    /// All-negative and all-positive columns, ties and sample weights (zero weights included): per-class
    /// AUROC and AP and the macro AP equal scikit-learn (a class without positives: AP 0, counted); the
    /// benchmark's exclusion is the explicit option.
    @Test(arguments: ["edge", "weighted", "edge_weighted"])
    func edgeCasesAndWeightsEqualScikitLearn(name: String) throws {
        let c = try #require(Self.cases[name])
        let (s, y) = tensors(c)
        let classes = (0..<c.ap.count).map { "c\($0)" }
        let ev = try Evaluation(classes: classes, scores: s, labels: y, sampleWeights: c.weights)
        for k in c.ap.indices {
            if let a = c.auroc[k] {
                #expect(abs(ev.perClassAUROC[k] - a) < 1e-12, "AUROC class \(k)")
            } else {
                #expect(ev.perClassAUROC[k].isNaN)
            }
            #expect(abs(ev.perClassAUPRC[k] - c.ap[k]) < 1e-12, "AP class \(k): \(ev.perClassAUPRC[k]) vs \(c.ap[k])")
        }
        #expect(abs(ev.auroc - c.macro_auroc) < 1e-12)
        #expect(abs(ev.auprc - c.macro_ap) < 1e-12)
        #expect(ev.classesWithoutPositives == (name.hasPrefix("edge") ? ["c0"] : []))
        let excluded = try Evaluation(classes: classes, scores: s, labels: y, sampleWeights: c.weights, emptyClasses: .exclude)
        #expect(abs(excluded.auprc - c.macro_ap_exclude!) < 1e-12)
        #expect(excluded.perClassAUPRC[0].isNaN == name.hasPrefix("edge"))
        // Bootstrap with weights: seeded, and brackets the point estimate.
        let b = try Evaluation(classes: classes, scores: s, labels: y, bootstrap: 50, seed: 3, sampleWeights: c.weights)
        #expect(b.auprcCI!.0 <= b.auprc + 0.05 && b.auprcCI!.1 >= b.auprc - 0.05)
    }

    @Test(arguments: [
        ([1.0, 2.0], "sample_weight has 2 values but there are 3 samples"),
        ([1.0, -1.0, 1.0], "sample_weight[1] = -1.0 is not a finite non-negative number"),
        ([1.0, .nan, 1.0], "sample_weight[1] = nan"),
        ([0.0, 0.0, 0.0], "sample_weight is zero for every sample")
    ])
    func badWeightsAreRefused(weights: [Double], message: String) {
        let s = Tensor([0.1, 0.5, 0.9], shape: [3, 1]), y = Tensor([0, 1, 1], shape: [3, 1])
        #expect { try Evaluation(classes: ["a"], scores: s, labels: y, sampleWeights: weights) } throws: {
            ($0 as? EngineError)?.message.contains(message) == true
        }
    }

    /// Integer weights are multiplicities: the same as repeating the samples.
    @Test func integerWeightsEqualRepeatedSamples() throws {
        let c = try #require(Self.cases["tied"])
        let (s, y) = tensors(c)
        let n = c.scores.count, k = c.scores[0].count
        let w = (0..<n).map { Double($0 % 3) }
        var rs: [Float] = [], ry: [Float] = []
        for i in 0..<n { for _ in 0..<Int(w[i]) { rs += c.scores[i]; ry += c.labels[i].map(Float.init) } }
        let classes = (0..<k).map { "c\($0)" }
        let a = try Evaluation(classes: classes, scores: s, labels: y, sampleWeights: w)
        let b = try Evaluation(classes: classes, scores: Tensor(rs, shape: [rs.count / k, k]), labels: Tensor(ry, shape: [ry.count / k, k]))
        for j in 0..<k {
            #expect(abs(a.perClassAUROC[j] - b.perClassAUROC[j]) < 1e-12 && abs(a.perClassAUPRC[j] - b.perClassAUPRC[j]) < 1e-12)
        }
    }

    @Test func bootstrapIntervalsAreSeededAndBracketThePoint() throws {
        let c = try #require(Self.cases["random"])
        let (s, y) = tensors(c)
        let classes = (0..<6).map { "c\($0)" }
        let a = try Evaluation(classes: classes, scores: s, labels: y, bootstrap: 100, seed: 1)
        let b = try Evaluation(classes: classes, scores: s, labels: y, bootstrap: 100, seed: 1)
        let lo = try #require(a.aurocCI?.0), hi = try #require(a.aurocCI?.1)
        #expect(a.aurocCI! == b.aurocCI! && a.auprcCI! == b.auprcCI!)
        #expect(lo < a.auroc && a.auroc < hi && hi - lo < 0.1)
        #expect(a.auprcCI!.0 < a.auprc && a.auprc < a.auprcCI!.1)
        // Weighted metrics equal metrics on the explicitly resampled data.
        let idx = [0, 0, 5, 9, 9, 9, 17, 30, 41, 41, 100, 200, 399, 3, 4, 6]
        var w = [Double](repeating: 0, count: 400)
        for i in idx { w[i] += 1 }
        let col = (0..<400).map { c.scores[$0][2] }, lab = (0..<400).map { c.labels[$0][2] == 1 }
        let weighted = RankingMetrics.aurocAndAP(scores: col, labels: lab, order: RankingMetrics.descendingOrder(col), weights: w)
        let sc = idx.map { col[$0] }, lb = idx.map { lab[$0] }
        let explicit = RankingMetrics.aurocAndAP(scores: sc, labels: lb, order: RankingMetrics.descendingOrder(sc))
        #expect(abs(weighted.auroc - explicit.auroc) < 1e-12 && abs(weighted.ap - explicit.ap) < 1e-12)
    }

    @Test func undefinedClassesAreReportedNotAveraged() throws {
        let s = Tensor([0.1, 0.9, 0.8, 0.2, 0.3, 0.4], shape: [3, 2])
        let y = Tensor([0, 1, 1, 1, 0, 1], shape: [3, 2])
        let ev = try Evaluation(classes: ["a", "b"], scores: s, labels: y)
        #expect(ev.undefinedClasses == ["b"] && ev.perClassAUROC[1].isNaN)
        #expect(ev.auroc == ev.perClassAUROC[0])
        #expect(throws: EngineError("evaluate", "scores [3, 2] and labels [2, 2] must both be (N, 2)")) {
            try Evaluation(classes: ["a", "b"], scores: s, labels: Tensor([0, 1, 1, 1], shape: [2, 2]))
        }
    }

    /// Twenty classes with a single positive each in 30 samples: a resample keeps all twenty with
    /// probability ≈ 0.64^20 ≈ 1e-4, so strict bootstrap gives up with a message naming the way out;
    /// non-strict bootstrap averages each resample over the classes it has.
    @Test func rareClassesNeedNonStrictBootstrap() throws {
        let N = 30, K = 20
        var rng = SeededRandom(seed: 3)
        let s = Tensor((0..<(N * K)).map { _ in Float(rng.uniform()) }, shape: [N, K])
        let y = Tensor((0..<(N * K)).map { i in Float(i / K == i % K ? 1 : 0) }, shape: [N, K])
        let classes = (0..<K).map { "c\($0)" }
        #expect { try Evaluation(classes: classes, scores: s, labels: y, bootstrap: 50) } throws: { e in
            "\(e)".contains("use strict=false")
        }
        let ev = try Evaluation(classes: classes, scores: s, labels: y, bootstrap: 50, strict: false)
        let (lo, hi) = try #require(ev.aurocCI)
        #expect(lo < ev.auroc && ev.auroc < hi && !ev.bootstrapStrict)
    }

    @Test func quantilesAsNumPy() {
        #expect(abs(Evaluation.quantile([1, 2, 3, 4], 0.05) - 1.15) < 1e-12)
        #expect(abs(Evaluation.quantile([4, 1, 3, 2, .nan], 0.95) - 3.85) < 1e-12)
    }
}

import Engine

enum MetricBuiltins {
    static let topic = "evaluation"

    /// Labels and scores as columns; a 1-D pair is one class.
    static func columns(_ a: Args) throws -> (labels: Tensor, scores: Tensor) {
        var y = try a.tensor("labels"), s = try a.tensor("scores")
        if y.rank == 1 { y = try y.reshape([y.count, 1]) }
        if s.rank == 1 { s = try s.reshape([s.count, 1]) }
        guard y.shape == s.shape else { throw EngineError(a.name, "labels \(shapeString(y.shape)) and scores \(shapeString(s.shape)) differ in shape") }
        return (y, s)
    }

    static func curve(_ a: Args, pr: Bool) throws -> Value {
        let (y, s) = try columns(a)
        guard y.shape[1] == 1 else { throw EngineError(a.name, "expects one class (1-D labels and scores), got \(y.shape[1]) columns") }
        let labels = y.values.map { $0 > 0.5 }, scores = s.values
        if pr {
            let c = RankingMetrics.prCurve(scores: scores, labels: labels)
            return .dict(DictBox([("precision", .list(c.precision.map(Value.number))), ("recall", .list(c.recall.map(Value.number))),
                                  ("thresholds", .list(c.thresholds.map(Value.number)))]))
        }
        let c = RankingMetrics.rocCurve(scores: scores, labels: labels)
        return .dict(DictBox([("fpr", .list(c.fpr.map(Value.number))), ("tpr", .list(c.tpr.map(Value.number))), ("thresholds", .list(c.thresholds.map(Value.number)))]))
    }

    static let all: [Builtin] = [
        Builtin("evaluate", topic: topic, [.required("model", "Model or Run"), .required("split", "Dataset (e.g. ds.test)"),
                                            .optional("bootstrap", "integer", .number(100)), .optional("seed", "integer", .number(0)),
                                            .optional("strict", "bool", .bool(true), "redraw resamples lacking a positive of some class"),
                                            .optional("crop", "samples", .nil_)],
                doc: "Macro and per-class AUROC/AUPRC with 5 %/95 % bootstrap intervals (strict: resamples lacking a positive for a class are redrawn, as the PTB-XL benchmark; strict=false: each resample averages over the classes it has).",
                example: "ev = evaluate(run.model, ds.test)") { a in
            .evaluation(try Inference.evaluate(try a.model("model"), try a.dataset("split"), bootstrap: try a.int("bootstrap", min: 0),
                                               seed: try a.seed(), strict: try a.bool("strict"), crop: try a.optionalInt("crop", min: 16)))
        },
        Builtin("auroc", topic: topic, [.required("labels", "0/1 Tensor (N) or (N, K)"), .required("scores", "Tensor")],
                doc: "Macro AUROC (scikit-learn's roc_auc_score; classes with one label value left out).", example: "auroc(y, p)") { a in
            let (y, s) = try columns(a)
            return .number(try Evaluation(classes: (0..<y.shape[1]).map { "\($0)" }, scores: s, labels: y).auroc)
        },
        Builtin("auprc", topic: topic, [.required("labels", "0/1 Tensor (N) or (N, K)"), .required("scores", "Tensor")],
                doc: "Macro average precision (scikit-learn's average_precision_score).", example: "auprc(y, p)") { a in
            let (y, s) = try columns(a)
            return .number(try Evaluation(classes: (0..<y.shape[1]).map { "\($0)" }, scores: s, labels: y).auprc)
        },
        Builtin("roc_curve", topic: topic, [.required("labels", "0/1 Tensor (N)"), .required("scores", "Tensor (N)")],
                doc: "ROC points {fpr, tpr, thresholds} at every distinct score.", example: "roc_curve(y, p)") { a in try curve(a, pr: false) },
        Builtin("pr_curve", topic: topic, [.required("labels", "0/1 Tensor (N)"), .required("scores", "Tensor (N)")],
                doc: "Precision–recall points {precision, recall, thresholds}.", example: "pr_curve(y, p)") { a in try curve(a, pr: true) },
    ]
}

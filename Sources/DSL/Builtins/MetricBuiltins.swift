import Engine

enum MetricBuiltins {
    static let topic = "evaluation"

    /// Labels and scores as columns; a 1-D pair is one class.
    static func columns(_ a: Args) throws -> (labels: Tensor, scores: Tensor) {
        var y = try a.tensor("labels"), s = try a.tensor("scores")
        if y.rank == 1 { y = try y.reshape([y.count, 1]) }
        if s.rank == 1 { s = try s.reshape([s.count, 1]) }
        guard y.shape == s.shape else {
            throw EngineError(a.name, "labels \(shapeString(y.shape)) and scores \(shapeString(s.shape)) differ in shape")
        }
        return (y, s)
    }

    static let weightParams: [Param] = [
        .optional("sample_weight", "numbers (N)", .nil_, "per-sample weights, as scikit-learn's sample_weight"),
        .choice(
            "empty_classes", default: Evaluation.EmptyClasses.zero,
            "AUPRC of a class without positives: 0 and counted (scikit-learn), or left out (the PTB-XL benchmark code)")
    ]

    /// `sample_weight` (nil when not given) and `empty_classes`.
    static func weighting(_ a: Args) throws -> (weights: [Double]?, empty: Evaluation.EmptyClasses) {
        let w = a.isNil("sample_weight") ? nil : try a.numbers("sample_weight")
        let empty: Evaluation.EmptyClasses = try a.choice("empty_classes")
        return (w, empty)
    }

    /// Macro metrics of a labels/scores pair.
    static func macro(_ a: Args) throws -> Evaluation {
        let (y, s) = try columns(a), (w, empty) = try weighting(a)
        return try Evaluation(classes: (0..<y.shape[1]).map { "\($0)" }, scores: s, labels: y, sampleWeights: w, emptyClasses: empty)
    }

    static func curve(_ a: Args, pr: Bool) throws -> Value {
        let (y, s) = try columns(a)
        guard y.shape[1] == 1 else { throw EngineError(a.name, "expects one class (1-D labels and scores), got \(y.shape[1]) columns") }
        let labels = y.values.map { $0 > 0.5 }, scores = s.values
        if pr {
            let c = RankingMetrics.prCurve(scores: scores, labels: labels)
            return .dict(
                DictBox([
                    ("precision", .list(c.precision.map(Value.number))), ("recall", .list(c.recall.map(Value.number))),
                    ("thresholds", .list(c.thresholds.map(Value.number)))
                ]))
        }
        let c = RankingMetrics.rocCurve(scores: scores, labels: labels)
        return .dict(
            DictBox([
                ("fpr", .list(c.fpr.map(Value.number))), ("tpr", .list(c.tpr.map(Value.number))),
                ("thresholds", .list(c.thresholds.map(Value.number)))
            ]))
    }

    /// One threshold per class from a number (all classes) or a dict class → number (every class named).
    static func thresholds(_ a: Args, _ key: String, classes: [String]) throws -> [Double] {
        switch a.value(key) {
        case .number(let t): return Array(repeating: t, count: classes.count)
        case .dict(let d):
            return try classes.map { c in
                guard case .number(let t)? = d[c] else {
                    throw Diagnostic(
                        "\(a.name): argument '\(key)' has no number for class '\(c)'\(didYouMean(c, among: d.keys))", at: a.place(key))
                }
                return t
            }
        default: throw a.typeError(key, "a number or a dict class → number")
        }
    }

    static let all: [Builtin] = [
        Builtin(
            "evaluate", topic: topic,
            [
                .required("model", "Model or Run"), .required("split", "Dataset (e.g. ds.test)"),
                .optional("bootstrap", "integer", .number(100)), .optional("seed", "integer", .number(0)),
                .optional("strict", "bool", .bool(true), "redraw resamples lacking a positive of some class"),
                .optional("crop", "samples", .nil_),
                .optional(
                    "threshold", "number, or dict class → number (choose_thresholds on ds.val)", .number(0.5),
                    "decision threshold(s) of per_class sensitivity, specificity, PPV and F1")
            ] + weightParams,
            doc:
                "Macro and per-class AUROC/AUPRC with 5 %/95 % bootstrap intervals (strict: resamples lacking a positive for a class are "
                + "redrawn, as the PTB-XL benchmark; strict=false: each resample's AUROC averages over the classes it has). A class "
                + "without positives has AUPRC 0 and counts in the macro AUPRC, as scikit-learn (empty_classes=\"exclude\" leaves it "
                + "out, as the benchmark code); the output names such classes.",
            example: "ev = evaluate(run.model, ds.test)"
        ) { a in
            let (w, empty) = try weighting(a)
            var ev = try Inference.evaluate(
                try a.model("model"), try a.dataset("split"), bootstrap: try a.int("bootstrap", min: 0),
                seed: try a.seed(), strict: try a.bool("strict"), crop: try a.optionalInt("crop", min: 16),
                sampleWeights: w, emptyClasses: empty)
            ev.thresholds = try thresholds(a, "threshold", classes: ev.classes)
            if let w = ev.fewPositivesWarning { a.interpreter.sink.progress(.message("evaluate: warning: " + w)) }
            let split = try a.dataset("split")
            if split.split == "all" || split.split == "train" {
                a.interpreter.sink.progress(
                    .message(
                        "evaluate: warning: these \(split.count) records include the training split (folds 1–8) a fine-tuned model has "
                            + "seen; report ds.test (fold 10)"))
            }
            return .evaluation(ev)
        },
        Builtin(
            "choose_thresholds", topic: topic,
            [
                .required("model", "Model or Run"), .required("split", "Dataset (the validation split, ds.val)"),
                .choice("rule", default: ThresholdMetrics.Rule.f1, "f1: largest F1; youden: largest sensitivity + specificity − 1")
            ],
            doc: "Per-class decision thresholds chosen on a split (use ds.val, never ds.test): a dict class → threshold for "
                + "evaluate(…, threshold=…). A class without both label values gets 0.5.",
            example: "th = choose_thresholds(run, ds.val); evaluate(run, ds.test, threshold=th).per_class"
        ) { a in
            let split = try a.dataset("split")
            if split.split == "test" {
                a.interpreter.sink.progress(
                    .message("choose_thresholds: warning: thresholds chosen on the test split bias its results; use ds.val"))
            }
            let ev = try Inference.evaluate(try a.model("model"), split, bootstrap: 0)
            let t = ev.chooseThresholds(rule: try a.choice("rule"))
            return .dict(DictBox(zip(ev.classes, t).map { ($0, .number($1)) }))
        },
        Builtin(
            "auroc", topic: topic, [.required("labels", "0/1 Tensor (N) or (N, K)"), .required("scores", "Tensor")] + weightParams,
            doc: "Macro AUROC (scikit-learn's roc_auc_score; classes with one label value left out).", example: "auroc(y, p)"
        ) { a in
            .number(try macro(a).auroc)
        },
        Builtin(
            "auprc", topic: topic, [.required("labels", "0/1 Tensor (N) or (N, K)"), .required("scores", "Tensor")] + weightParams,
            doc: "Macro average precision (scikit-learn's average_precision_score: a class without positives counts as 0).",
            example: "auprc(y, p)"
        ) { a in
            .number(try macro(a).auprc)
        },
        Builtin(
            "roc_curve", topic: topic, [.required("labels", "0/1 Tensor (N)"), .required("scores", "Tensor (N)")],
            doc: "ROC points {fpr, tpr, thresholds} at every distinct score.", example: "roc_curve(y, p)"
        ) { a in try curve(a, pr: false) },
        Builtin(
            "pr_curve", topic: topic, [.required("labels", "0/1 Tensor (N)"), .required("scores", "Tensor (N)")],
            doc: "Precision–recall points {precision, recall, thresholds}.", example: "pr_curve(y, p)"
        ) { a in try curve(a, pr: true) }
    ]
}

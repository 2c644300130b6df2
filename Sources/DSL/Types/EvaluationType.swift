import Engine

/// Test-set metrics with bootstrap intervals (`evaluate(…)`).
enum EvaluationType {
    static let descriptor = TypeDescriptor(
        "Evaluation",
        {
            if case .evaluation(let e) = $0 { return e }; return nil
        },
        fields: [
            FieldOf("auroc", "macro AUROC", get: { .number($0.auroc) }),
            FieldOf("auprc", "macro AUPRC (average precision)", get: { .number($0.auprc) }),
            FieldOf("per_class", "table of per-class metrics", get: { .table(try perClass($0)) }),
            FieldOf(
                "ci", "dict of 5 %/95 % bootstrap quantiles",
                get: { e in
                    var pairs: [(String, Value)] = []
                    if let c = e.aurocCI { pairs.append(("auroc", .list([.number(c.0), .number(c.1)]))) }
                    if let c = e.auprcCI { pairs.append(("auprc", .list([.number(c.0), .number(c.1)]))) }
                    return .dict(DictBox(pairs))
                }),
            FieldOf("fmax", "sample-centric Fmax", get: { .number($0.fmax) }),
            FieldOf(
                "thresholds", "dict class → decision threshold used by per_class (evaluate's threshold=)",
                get: { e in
                    let t = e.thresholds.count == e.classes.count ? e.thresholds : Array(repeating: 0.5, count: e.classes.count)
                    return .dict(DictBox(zip(e.classes, t).map { ($0, .number($1)) }))
                }),
            FieldOf("classes", "class names", get: { .list($0.classes.map(Value.string)) }),
            FieldOf(
                "undefined", "classes without both label values (left out of the macro AUROC)",
                get: { .list($0.undefinedClasses.map(Value.string)) }),
            FieldOf(
                "no_positive", "classes without a positive (AUPRC 0 by default, see empty_classes)",
                get: { .list($0.classesWithoutPositives.map(Value.string)) }),
            FieldOf("scores", "(N, classes) probabilities", get: { .tensor($0.scores) }),
            FieldOf("labels", "(N, classes) 0/1 labels", get: { .tensor($0.labels) })
        ],
        repr: { e in "Evaluation(AUROC \(Table.format(e.auroc)), AUPRC \(Table.format(e.auprc)))" },
        block: text)

    static func perClass(_ e: Evaluation) throws -> Table {
        let K = e.classes.count
        let positives = e.classes.indices.map { k in (0..<e.labels.shape[0]).reduce(0.0) { $0 + Double(e.labels.data[$1 * K + k]) } }
        let thresholds = e.thresholds.count == K ? e.thresholds : Array(repeating: 0.5, count: K)
        let at = try e.atThresholds(thresholds)
        return try Table(
            title: "per class (sensitivity, specificity, PPV and F1 at each threshold: score ≥ threshold is positive)",
            columns: ["class", "positives", "auroc", "auprc", "threshold", "sensitivity", "specificity", "ppv", "f1"],
            rows: e.classes.indices.map {
                [
                    .text(e.classes[$0]), .number(positives[$0]), .number(e.perClassAUROC[$0]), .number(e.perClassAUPRC[$0]),
                    .number(at[$0].threshold), .number(at[$0].sensitivity), .number(at[$0].specificity), .number(at[$0].ppv),
                    .number(at[$0].f1)
                ]
            })
    }

    static func text(_ e: Evaluation) -> String {
        func ci(_ c: (Double, Double)?) -> String { c.map { "[\(Table.format($0.0)), \(Table.format($0.1))]" } ?? "" }
        var out = "Evaluation of \(e.classes.count) classes on \(e.sizeDescription)"
        out +=
            e.bootstrapSamples > 0
            ? ", 90 % bootstrap intervals from \(e.bootstrapSamples) resamples"
                + "\(e.bootstrapStrict ? "" : " (not strict: each averaged over the classes it has)")\n"
            : "\n"
        out += "macro AUROC \(Table.format(e.auroc)) \(ci(e.aurocCI))\n"
        out += "macro AUPRC \(Table.format(e.auprc)) \(ci(e.auprcCI))\n"
        out += "Fmax        \(Table.format(e.fmax))\n"
        if let w = e.fewPositivesWarning { out += "warning: \(w)\n" }
        if !e.undefinedClasses.isEmpty {
            out += "AUROC undefined (one label value only, left out of the macro AUROC): \(e.undefinedClasses.joined(separator: ", "))\n"
        }
        if !e.classesWithoutPositives.isEmpty {
            out += "no positive: \(e.classesWithoutPositives.joined(separator: ", ")) — "
            out +=
                e.emptyClasses == .zero
                ? "AUPRC 0, counted in the macro AUPRC (scikit-learn; empty_classes=\"exclude\" leaves them out)\n"
                : "left out of the macro AUPRC (empty_classes=\"exclude\")\n"
        }
        return out
    }
}

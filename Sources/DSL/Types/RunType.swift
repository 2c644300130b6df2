import Engine
import Foundation

/// The result of a recipe (`finetune`, `linear_probe`).
enum RunType {
    static let descriptor = TypeDescriptor(
        "Run",
        {
            if case .run(let r) = $0 { return r }; return nil
        },
        fields: [
            FieldOf("model", "the model at the best validation epoch", get: { .model($0.model) }),
            FieldOf("history", "table of per-epoch losses and metrics", get: { .table(try history($0)) }),
            FieldOf(
                "best_epoch",
                "epoch (within fine-tuning) the "
                    + "model comes from", get: { $0.bestEpoch.map { .number(Double($0)) } ?? .nil_ }),
            FieldOf("best_val_auroc", "its validation macro AUROC", get: { .number($0.bestValAUROC) }),
            FieldOf("interrupted", "true when Ctrl-C stopped it (best model kept)", get: { .bool($0.interrupted) }),
            FieldOf("seconds", "wall time", get: { .number($0.seconds) }),
            FieldOf("recipe", "recipe name", get: { .string($0.recipe) }),
            FieldOf(
                "settings", "dict of every setting used",
                get: { r in
                    .dict(
                        DictBox(
                            r.settings.map { s in
                                switch s.value {
                                case .number(let x): return (s.name, .number(x))
                                case .text(let t): return (s.name, .string(t))
                                case .flag(let b): return (s.name, .bool(b))
                                case .none: return (s.name, .string("none"))
                                }
                            }))
                })
        ],
        repr: { r in "Run(\(r.recipe), best epoch \(r.bestEpoch.map(String.init) ?? "–"), val AUROC \(Table.format(r.bestValAUROC)))" },
        block: { r in headline(r) + "\n" + (untitledHistory(r)?.rendered() ?? "") },
        html: { r in HTML.headed(headline(r), untitledHistory(r)) })

    static func headline(_ r: Run) -> String {
        "Run '\(r.recipe)': \(r.history.count) epoch\(r.history.count == 1 ? "" : "s") in \(String(format: "%.1f", r.seconds)) s"
            + (r.bestEpoch.map { ", best epoch \($0) (val AUROC \(Table.format(r.bestValAUROC)))" } ?? "")
            + (r.interrupted ? ", interrupted (best model so far kept)" : "")
    }

    static func untitledHistory(_ r: Run) -> Table? {
        guard var t = try? history(r) else { return nil }
        t.title = ""
        return t
    }

    static func history(_ run: Run) throws -> Table {
        try Table(
            title: "history of \(run.recipe)", columns: ["phase", "epoch"] + HistoryMetric.allCases.map(\.rawValue),
            rows: run.history.map { h in
                [.text(h.phase.rawValue), .number(Double(h.epoch))] + HistoryMetric.allCases.map { .number($0.value(h)) }
            })
    }
}

import Engine
import Foundation

/// A dataset or one of its splits (`ptbxl(…)`, `synth(…)`, `ds.train`); iteration gives its records.
enum DatasetType {
    static let descriptor = TypeDescriptor(
        "Dataset",
        {
            if case .dataset(let d) = $0 { return d }; return nil
        },
        fields: [
            FieldOf("train", "folds 1–8", get: { .dataset($0.train) }),
            FieldOf("val", "fold 9 (model selection)", get: { .dataset($0.val) }),
            FieldOf("test", "fold 10 (never for selection)", get: { .dataset($0.test) }),
            FieldOf("classes", "class names in target order", get: { .list($0.classes.map(Value.string)) }),
            FieldOf("count", "records in this view", get: { .number(Double($0.count)) }),
            FieldOf("rate", "Hz", get: { .number($0.rate) }),
            FieldOf("leads", "lead names", get: { .list($0.leads.map(Value.string)) }),
            FieldOf("length", "samples per record", get: { .number(Double($0.length)) }),
            FieldOf("split", "which view this is", get: { .string($0.split) }),
            FieldOf("counts", "table of positives per class and split", get: { .table(try counts($0)) }),
            FieldOf("records", "table of this view's records: index, record, fold, labels", get: { .table(try $0.recordTable()) }),
            FieldOf("name", "dataset name", get: { .string($0.name) }),
            FieldOf("targets", "(records, classes) 0/1 tensor of this view", get: { .tensor($0.allTargets()) }),
            FieldOf("x", "(records, leads, samples) standardised inputs of this view", get: { .tensor(try $0.allInputs()) })
        ],
        repr: { d in "Dataset(\(d.name), \(d.split), \(d.count) records)" },
        block: { d in headline(d) + "\n" + ((try? counts(d, totals: true).rendered()) ?? "") },
        html: { d in HTML.headed(headline(d), try? counts(d, totals: true)) },
        elements: { ds, _, body in for i in 0..<ds.count where try !body(.record(try ds.record(i))) { return } },
        count: { $0.count })

    static func headline(_ d: ECGDataset) -> String {
        "\(d.name) — \(d.split): \(d.count) records, \(d.leads.count) leads × \(d.length) samples at \(formatNumber(d.rate)) Hz"
            + (d.standardization.map {
                String(format: ", standardised with the training split's mean %.4g and standard deviation %.4g", $0.mean, $0.std)
            } ?? "")
    }

    /// Positives per class and split; with `totals`, a last row of record counts.
    static func counts(_ d: ECGDataset, totals: Bool = false) throws -> Table {
        let (tr, va, te) = (d.train, d.val, d.test)
        let (a, b, c) = (tr.classCounts(), va.classCounts(), te.classCounts())
        var rows: [[Table.Cell]] = d.classes.indices.map {
            [.text(d.classes[$0]), .number(Double(a[$0])), .number(Double(b[$0])), .number(Double(c[$0]))]
        }
        if totals { rows.append([.text("records"), .number(Double(tr.count)), .number(Double(va.count)), .number(Double(te.count))]) }
        return try Table(title: totals ? "" : d.name, columns: ["class", "train", "val", "test"], rows: rows)
    }
}

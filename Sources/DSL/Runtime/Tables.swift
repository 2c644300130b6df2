import Engine

/// The tables engine objects show: one definition each, used by display (`Display.block`) and by
/// fields (`ds.counts`, `m.summary`, `run.history`).
enum Tables {
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

    static func summary(_ m: Net1D) throws -> Table {
        try Table(title: "Net1D", columns: ["layer", "structure", "parameters"],
                  rows: m.summaryRows.map { [.text($0.name), .text($0.detail), .number(Double($0.parameters))] })
    }

    static func history(_ run: Run) throws -> Table {
        try Table(title: "history of \(run.recipe)", columns: ["phase", "epoch", "train_loss", "val_loss", "val_auroc", "val_auprc", "lr", "seconds"],
                  rows: run.history.map { h in [.text(h.phase), .number(Double(h.epoch)), .number(h.trainLoss), .number(h.valLoss),
                                                .number(h.valAUROC), .number(h.valAUPRC), .number(h.lr), .number(h.seconds)] })
    }
}

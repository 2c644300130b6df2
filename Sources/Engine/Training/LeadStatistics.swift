import Foundation

/// Plain per-lead statistics of each record — mean, standard deviation, minimum, maximum, 5th and 95th
/// percentile, mean absolute first difference — and a logistic regression on them: the non-deep
/// reference that places a network's numbers (what simple amplitude and variability statistics of the
/// same split already give).
public enum LeadStatistics {
    public static let names = ["mean", "std", "min", "max", "p05", "p95", "mean_abs_diff"]

    /// `(count, leads × 7)` features of the records of `ds` (physical values, NaN left out).
    public static func features(_ ds: ECGDataset) throws -> Tensor {
        let C = ds.leads.count, L = ds.length, F = names.count
        let out = Tensor(zeros: [ds.count, C * F], zeroed: true)
        try Parallel.forEach(ds.count) { i in
            let r = ds.indices[i]
            for c in 0..<C {
                let p = ds.signals.data + (r * C + c) * L
                var v = (0..<L).map { p[$0] }.filter { $0.isFinite }
                guard !v.isEmpty else { continue }
                let n = Double(v.count)
                let mean = v.reduce(0.0) { $0 + Double($1) } / n
                let std = (v.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n).squareRoot()
                var diff = 0.0
                for j in 1..<max(v.count, 1) { diff += abs(Double(v[j]) - Double(v[j - 1])) }
                v.sort()
                func q(_ f: Double) -> Double { Double(v[min(v.count - 1, Int((f * (n - 1)).rounded()))]) }
                let row = [mean, std, Double(v[0]), Double(v[v.count - 1]), q(0.05), q(0.95), diff / max(n - 1, 1)]
                for (k, x) in row.enumerated() { out.data[i * C * F + c * F + k] = Float(x) }
            }
        }
        return out
    }

    /// Logistic regression (one linear layer, BCE) on the z-scored statistics of `ds.train`, epoch chosen
    /// by `ds.val` macro AUROC, evaluated on `ds.test` with `bootstrap` resamples.
    public static func baseline(_ ds: ECGDataset, config: TrainConfig, bootstrap: Int = 100, hooks: TrainHooks = TrainHooks()) throws
        -> Evaluation
    {
        let train = ds.train, val = ds.val, test = ds.test
        guard train.count > 0, test.count > 0 else {
            throw EngineError("lead_stats_baseline", "the dataset needs training (folds 1–8) and test (fold 10) records")
        }
        let ft = try features(train), fv = try features(val), fe = try features(test)
        let F = ft.shape[1], K = ds.classes.count
        // z-score each feature with the training split's mean and std
        var mean = [Float](repeating: 0, count: F), std = [Float](repeating: 1, count: F)
        for f in 0..<F {
            let col = (0..<train.count).map { Double(ft.data[$0 * F + f]) }
            let m = col.reduce(0, +) / Double(col.count)
            let s = (col.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(col.count)).squareRoot()
            mean[f] = Float(m); std[f] = Float(max(s, 1e-8))
        }
        for t in [ft, fv, fe] { for i in 0..<t.count { t.data[i] = (t.data[i] - mean[i % F]) / std[i % F] } }
        var rng = SeededRandom(seed: config.seed)
        let head = Linear(inFeatures: F, outFeatures: K, rng: &rng)
        let yt = train.allTargets(), yv = val.allTargets()
        let phase = Trainer.Phase(
            name: .leadStatistics, config: config, params: head.named(""), trainCount: train.count,
            batch: Trainer.rowBatches(features: ft, targets: yt),
            forward: { x, _ in try head(x) },
            validate: {
                guard val.count > 0 else { return nil }
                return try Recipes.validation(logits: GradMode.withoutGrad { try head(fv) }, targets: yv, classes: val.classes)
            },
            posWeight: nil,
            snapshot: { [head.weight.clone(), head.bias.clone()] },
            restore: { s in
                try head.weight.copyValues(from: s[0]); try head.bias.copyValues(from: s[1])
            })
        _ = try Trainer.run(phase, hooks: hooks)
        let p = try GradMode.withoutGrad { try head(fe).sigmoid() }
        return try Evaluation(classes: ds.classes, scores: p, labels: test.allTargets(), bootstrap: bootstrap, seed: config.seed)
    }
}

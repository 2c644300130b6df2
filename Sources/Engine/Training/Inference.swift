/// Batched, gradient-free passes of a model over a dataset view.
public enum Inference {
    /// Applies `body` to consecutive input batches of `ds` (centre-cropped when `crop` is set) and
    /// concatenates the `(B, F)` results in order. In a data-parallel job each rank runs its contiguous share
    /// of the records and the rows are gathered on every rank (all ranks run everything when there are fewer
    /// records than ranks).
    static func map(_ ds: ECGDataset, batch: Int, crop: Int?, _ body: (Tensor) throws -> Tensor) throws -> Tensor {
        guard ds.count > 0 else { throw EngineError("predict", "the dataset view '\(ds.split)' is empty") }
        let world = Distributed.world.flatMap { ds.count >= $0.size ? $0 : nil }
        let mine = world?.share(of: ds.count) ?? 0..<ds.count
        var parts: [Tensor] = []
        var none: SeededRandom? = nil
        // Nothing but the model's forward pass runs in here, so its weights stay as they are: packed once (`WeightPackCache`).
        try GradMode.withoutGrad {
            try withFixedWeights {
                for start in stride(from: mine.lowerBound, to: mine.upperBound, by: batch) {
                    try Cancellation.check("predict")
                    let (x, _) = try ds.batch(Array(start..<min(start + batch, mine.upperBound)), crop: crop, rng: &none)
                    parts.append(try body(x))
                }
            }
        }
        let F = parts[0].shape[1]
        let out = Tensor(zeros: [mine.count, F], zeroed: false)
        var row = 0
        for p in parts { (out.data + row * F).update(from: p.data, count: p.count); row += p.shape[0] }
        return try world?.allgatherRows(out, total: ds.count) ?? out
    }

    /// Runs `body`, a run of forward passes that do not change the weights, with each weight matrix packed for the BLAS
    /// kernel once instead of at every product (`WeightPackCache`; the same values bit for bit). `map` — prediction,
    /// evaluation, embeddings, validation — runs its batches this way; a benchmark of repeated passes can too.
    public static func withFixedWeights<T>(_ body: () throws -> T) rethrows -> T {
        try WeightPackCache.reusing(body)
    }

    /// What `withFixedWeights` keeps, for `ecgs info`.
    public static var fixedWeightsDescription: String {
        let kept = "weights packed once per predict / evaluate / embed / validation"
        return HaswellKernels.shared != nil
            ? "\(kept): 1×1 (OpenBLAS's Haswell kernel, checked equal to sgemm) and grouped convolutions"
            : "\(kept): grouped convolutions; 1×1 through sgemm (no checked Haswell kernel in OpenBLAS core \(BLAS.coreName))"
    }

    static func checkInput(_ model: Net1D, _ ds: ECGDataset, op: String) throws {
        guard ds.leads.count == model.config.leads else {
            throw EngineError(op, "the model takes \(model.config.leads) leads but the dataset has \(ds.leads.count)")
        }
    }

    /// Probabilities `(N, classes)` (sigmoid of the logits), evaluation mode.
    public static func predict(_ model: Net1D, _ ds: ECGDataset, batch: Int = 64, crop: Int? = nil) throws -> Tensor {
        try checkInput(model, ds, op: "predict")
        return try map(ds, batch: batch, crop: crop) { try model.forward($0).sigmoid() }
    }

    /// Logits `(N, classes)`.
    public static func logits(_ model: Net1D, _ ds: ECGDataset, batch: Int = 64, crop: Int? = nil) throws -> Tensor {
        try checkInput(model, ds, op: "predict")
        return try map(ds, batch: batch, crop: crop) { try model.forward($0) }
    }

    /// Pooled backbone features `(N, filters.last)`.
    public static func embed(_ model: Net1D, _ ds: ECGDataset, batch: Int = 64, crop: Int? = nil) throws -> Tensor {
        try checkInput(model, ds, op: "embed")
        return try map(ds, batch: batch, crop: crop) { try model.features($0) }
    }

    /// Evaluation of `model` on a split, with `bootstrap` resamples for intervals.
    public static func evaluate(
        _ model: Net1D, _ ds: ECGDataset, bootstrap: Int = 100, seed: UInt64 = 0, strict: Bool = true, crop: Int? = nil,
        sampleWeights: [Double]? = nil, emptyClasses: Evaluation.EmptyClasses = .zero
    ) throws -> Evaluation {
        guard model.classes == ds.classes.count else {
            throw EngineError("evaluate", "the model has \(model.classes) outputs but the dataset has \(ds.classes.count) classes")
        }
        let p = try predict(model, ds, crop: crop)
        return try Evaluation(
            classes: ds.classes, scores: p, labels: ds.allTargets(), bootstrap: bootstrap, seed: seed, strict: strict,
            sampleWeights: sampleWeights, emptyClasses: emptyClasses)
    }
}

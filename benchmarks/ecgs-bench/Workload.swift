import Engine
import Foundation

/// Whole-workload figures, next to the kernel cases: what a user waits for, end to end.
/// `benchmarks/torch_workload.py` runs the same pipeline with wfdb-python, PyTorch and scikit-learn.
enum Workload {
    /// A PTB-XL-shaped folder of `records` synthetic 12-lead records at `rate` Hz (seed 1).
    static func makeFolder(_ dir: String, records: Int, rate: Int) throws -> String {
        var g = SyntheticECG()
        g.rate = Double(rate)
        let t0 = now()
        let ds = try g.dataset(count: records, seed: 1)
        try PTBXL.write(ds, to: dir)
        return String(format: "wrote %d records at %d Hz to %@ in %.1f s", records, rate, dir, now() - t0)
    }

    /// Runs `body` with the signal cache in a private folder (`ECGS_CACHE`), removed afterwards: the first
    /// load inside decodes every record, as it would on a new machine.
    static func withPrivateCache<T>(_ body: () throws -> T) rethrows -> T {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-bench-cache-\(getpid())").path
        setenv("ECGS_CACHE", cache, 1)
        defer { try? FileManager.default.removeItem(atPath: cache) }
        return try body()
    }

    /// Loads `dir` at 500 Hz for `task` as a first load does (WFDB decoding, then writing the binary cache).
    /// Returns the dataset and the seconds it took.
    static func firstLoad(_ dir: String, task: PTBXLTask) throws -> (ECGDataset, Double) {
        try withPrivateCache {
            let t0 = now()
            let ds = try PTBXL.load(dir: dir, task: task, rate: 500)
            return (ds, now() - t0)
        }
    }

    /// One epoch of the post-training recipe with the ECGFounder preset: first load, the preview's feature
    /// caching and one head epoch with its validation, one fine-tuning epoch (batch 32, stochastic depth,
    /// clipping, AdamW) with its validation. Throughput: training records per second of the whole.
    static func epoch(_ dir: String) throws -> String {
        let (ds, load) = try firstLoad(dir, task: .superdiagnostic)
        let model = try Net1D(try Net1DConfig.preset("ecgfounder", classes: ds.classes.count), seed: 1)
        var settings = RecipeSettings.post
        settings.preview.epochs = 1
        settings.finetune.epochs = 1
        var ends: [Double] = []
        let start = now()
        _ = try Recipes.run(
            "post", model: model, data: ds, settings: settings,
            hooks: TrainHooks { event in if case .epoch = event { ends.append(now()) } })
        guard ends.count == 2 else { throw EngineError("workload", "expected a preview and a fine-tuning epoch, saw \(ends.count)") }
        let (preview, finetune) = (ends[0] - start, ends[1] - ends[0])
        let total = load + preview + finetune, train = ds.train.count
        return String(
            format:
                "{\"case\": \"post-epoch-500hz\", \"train_records\": %d, \"val_records\": %d, \"load_s\": %.2f, \"preview_s\": %.2f, "
                + "\"finetune_s\": %.2f, \"total_s\": %.2f, \"records_per_s\": %.2f, \"peak_rss_mib\": %.0f}",
            train, ds.val.count, load, preview, finetune, total, Double(train) / total, peakRSSMiB())
    }

    /// Evaluation of the ECGFounder preset on every record of `dir` at 500 Hz with the labels of the task
    /// "all" (every statement, as the benchmark's 71-class metrics): predictions (batch 64), then
    /// macro AUROC and AUPRC with 100 strict bootstrap resamples.
    static func evaluate(_ dir: String) throws -> String {
        let (ds, load) = try firstLoad(dir, task: .all)
        let model = try Net1D(try Net1DConfig.preset("ecgfounder", classes: ds.classes.count), seed: 1)
        let t0 = now()
        let ev = try Inference.evaluate(model, ds, bootstrap: 100)
        let seconds = now() - t0
        return String(
            format:
                "{\"case\": \"evaluate-500hz-b100\", \"records\": %d, \"load_s\": %.2f, \"evaluate_s\": %.2f, \"records_per_s\": %.2f, "
                + "\"auroc\": %.4f, \"peak_rss_mib\": %.0f}",
            ds.count, load, seconds, Double(ds.count) / seconds, ev.auroc, peakRSSMiB())
    }
}

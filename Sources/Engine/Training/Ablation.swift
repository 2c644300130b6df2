/// The post-training ablation (SCIENCE.md §3): the recipe, the recipe without preview linear probing,
/// without stochastic depth, without both, and the baseline, each trained and evaluated on the test fold.
public enum Ablation {
    /// The five variants with their settings, from the post and baseline settings a caller has filled in.
    public static func variants(post: RecipeSettings, baseline: RecipeSettings) -> [(name: String, settings: RecipeSettings)] {
        var noPreview = post
        noPreview.previewEnabled = false
        var noDrop = post
        noDrop.finetune.dropPath = 0
        var neither = noPreview
        neither.finetune.dropPath = 0
        return [
            ("post", post), ("post − preview LP", noPreview), ("post − stochastic depth", noDrop), ("post − both", neither),
            ("baseline", baseline)
        ]
    }

    public static let columns = ["variant", "val_auroc", "auroc", "auroc_lo", "auroc_hi", "auprc", "auprc_lo", "auprc_hi", "seconds"]

    /// Trains and evaluates each variant in turn (`bootstrap` resamples for the test intervals). A stop
    /// request ends the table after the variant it interrupted, keeping the rows finished.
    public static func run(
        model: Net1D, data ds: ECGDataset, post: RecipeSettings, baseline: RecipeSettings, bootstrap: Int,
        hooks: TrainHooks = TrainHooks()
    ) throws -> Table {
        var rows: [[Table.Cell]] = []
        for (name, s) in variants(post: post, baseline: baseline) {
            hooks.onEvent(.message("ablate: \(name)"))
            let run = try Recipes.run(name, model: model, data: ds, settings: s, hooks: hooks)
            let ev = try Inference.evaluate(run.model, ds.test, bootstrap: bootstrap, seed: s.finetune.seed, crop: s.finetune.crop)
            rows.append([
                .text(name), .number(run.bestValAUROC), .number(ev.auroc), .number(ev.aurocCI?.0 ?? .nan),
                .number(ev.aurocCI?.1 ?? .nan), .number(ev.auprc), .number(ev.auprcCI?.0 ?? .nan),
                .number(ev.auprcCI?.1 ?? .nan), .number(run.seconds)
            ])
            if run.interrupted { break }
        }
        return try Table(title: "ablation on \(ds.name) (test fold)", columns: columns, rows: rows)
    }
}

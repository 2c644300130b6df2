/// The settings of a recipe: full fine-tuning, the optional preview linear probe on cached
/// features, and where to keep checkpoints.
public struct RecipeSettings: Sendable {
    public var finetune: TrainConfig
    public var preview: TrainConfig
    /// Train a new head on frozen, cached features before fine-tuning (LP-FT).
    public var previewEnabled: Bool
    /// Fine-tune the whole network (false: linear probing only).
    public var finetuneEnabled: Bool
    /// Seed of the new random head.
    public var headSeed: UInt64
    /// Folder for `last.safetensors` / `best.safetensors` after every epoch (nil: none).
    public var checkpointDir: String?
    /// Continue from `checkpointDir/last.safetensors` when it exists.
    public var resume: Bool

    /// ECGFounder's fine-tuning template: new random head, all layers, Adam 1e-4, weight decay 1e-5,
    /// constant rate, no stochastic depth, best epoch by validation AUROC. (ours: 10 epochs, batch 32,
    /// patience 5, no clipping)
    public static var baseline: RecipeSettings {
        var f = TrainConfig()
        f.optimizer = .adam; f.lr = 1e-4; f.weightDecay = 1e-5; f.schedule = .constant; f.warmupEpochs = 0
        f.gradClip = nil; f.dropPath = 0
        return RecipeSettings(
            finetune: f, preview: previewDefaults, previewEnabled: false, finetuneEnabled: true,
            headSeed: 0, checkpointDir: nil, resume: false)
    }

    /// The post-training recipe (SCIENCE.md §3): preview linear probing then full fine-tuning with
    /// stochastic depth. (ours: preview 5 epochs AdamW 1e-3; fine-tuning AdamW 1e-4, weight decay 0.01,
    /// cosine with 1 warm-up epoch, drop path 0.1, clipping at norm 1, patience 5)
    public static var post: RecipeSettings {
        var f = TrainConfig()
        f.optimizer = .adamw; f.lr = 1e-4; f.weightDecay = 0.01; f.schedule = .cosine; f.warmupEpochs = 1
        f.gradClip = 1; f.dropPath = 0.1
        return RecipeSettings(
            finetune: f, preview: previewDefaults, previewEnabled: true, finetuneEnabled: true,
            headSeed: 0, checkpointDir: nil, resume: false)
    }

    /// Linear probing: frozen backbone, head only, on cached features. (ours: 20 epochs, AdamW 1e-3)
    public static var linearProbe: RecipeSettings {
        var p = previewDefaults
        p.epochs = 20
        return RecipeSettings(
            finetune: TrainConfig(), preview: p, previewEnabled: true, finetuneEnabled: false,
            headSeed: 0, checkpointDir: nil, resume: false)
    }

    /// (ours) AdamW 1e-3, weight decay 0.01, cosine without warm-up, batch 64, 5 epochs, no patience.
    public static var previewDefaults: TrainConfig {
        var p = TrainConfig()
        p.optimizer = .adamw; p.lr = 1e-3; p.weightDecay = 0.01; p.schedule = .cosine; p.warmupEpochs = 0
        p.batch = 64; p.epochs = 5; p.patience = nil; p.gradClip = nil
        return p
    }

    /// One setting as runs report it: its name (as ECGScript spells the argument) and value.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var value: SettingValue
    }

    /// Every setting, in the order help and reports list them (preview settings prefixed `preview_`).
    public var described: [Entry] {
        var out: [Entry] = []
        func add(_ prefix: String, _ c: TrainConfig) {
            func n(_ name: String, _ x: Double?) { out.append(Entry(name: prefix + name, value: x.map { .number($0) } ?? .none)) }
            // A Float setting as the decimal it was written as (1e-4, not 9.99999974e-05).
            func f(_ name: String, _ x: Float?) { n(name, x.map { Double("\($0)") ?? Double($0) }) }
            n("epochs", Double(c.epochs)); f("lr", c.lr); n("batch", Double(c.batch))
            out.append(Entry(name: prefix + "optimizer", value: .text(c.optimizer.rawValue)))
            f("weight_decay", c.weightDecay)
            out.append(Entry(name: prefix + "schedule", value: .text(c.schedule.rawValue)))
            n("warmup", Double(c.warmupEpochs))
            if prefix.isEmpty {
                f("drop_path", c.dropPath); f("grad_clip", c.gradClip); n("patience", c.patience.map(Double.init))
                n("crop", c.crop.map(Double.init)); n("seed", Double(c.seed))
            }
        }
        if previewEnabled { add("preview_", preview) }
        if finetuneEnabled { add("", finetune) }
        return out
    }
}

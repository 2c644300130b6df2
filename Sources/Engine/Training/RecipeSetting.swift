/// A value a recipe setting is given: a number, a name or path, a flag, or nothing (switched off).
public enum SettingValue: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case text(String)
    case flag(Bool)
    /// Switched off (no clipping, no early stopping, whole records).
    case none

    public var description: String {
        switch self {
        case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(Float(x))"
        case .text(let t): return t
        case .flag(let b): return b ? "true" : "false"
        case .none: return "none"
        }
    }
}

/// The settings a recipe call can override (`finetune(m, ds, lr=1e-3, patience=nil)`), by the names
/// ECGScript, help and run reports use; `RecipeSettings.set` is the one place each is applied and checked.
public enum RecipeSetting: String, CaseIterable, Sendable {
    case epochs, lr, batch
    case weightDecay = "weight_decay"
    case optimizer, schedule, warmup
    case previewEpochs = "preview_epochs"
    case previewLR = "preview_lr"
    case dropPath = "drop_path"
    case patience
    case gradClip = "grad_clip"
    case crop
    case maxBatches = "max_batches"
    case balanced, seed, checkpoint, resume

    /// What the setting does, for help.
    public var doc: String {
        switch self {
        case .epochs: return "epochs of the trained phase (fine-tuning; the probe for linear_probe)"
        case .lr: return "peak learning rate of the trained phase"
        case .batch: return "records per batch (every phase)"
        case .weightDecay: return "weight decay of the trained phase"
        case .optimizer: return "optimizer of the trained phase"
        case .schedule: return "learning-rate schedule of the trained phase"
        case .warmup: return "linear warm-up epochs of the trained phase"
        case .previewEpochs: return "epochs of the preview linear probe (0: none)"
        case .previewLR: return "learning rate of the preview linear probe"
        case .dropPath: return "stochastic depth: drop probability of the last block"
        case .patience: return "early stopping after this many epochs without a better val AUROC; nil or 0: none"
        case .gradClip: return "global gradient-norm clipping"
        case .crop: return "random training crops of this many samples (centre crops to evaluate)"
        case .maxBatches: return "at most this many batches per epoch (quick runs)"
        case .balanced: return "class-balanced BCE (positive weights neg/pos from the training split)"
        case .seed: return "seed of the head, shuffling, crops and stochastic depth"
        case .checkpoint: return "folder for last/best checkpoints after every epoch"
        case .resume: return "continue from the checkpoint folder's last.safetensors"
        }
    }
}

extension RecipeSettings {
    /// Applies one setting. Settings of "the trained phase" go to fine-tuning, or to the probe when the
    /// recipe only probes (linear_probe). `.none` switches off what can be (patience); checks name the
    /// setting and the value.
    public mutating func set(_ setting: RecipeSetting, _ value: SettingValue) throws {
        let name = setting.rawValue
        func number() throws -> Double {
            guard case .number(let x) = value, x.isFinite else { throw EngineError(name, "must be a number, got \(value)") }
            return x
        }
        func integer(min lo: Int) throws -> Int {
            let x = try number()
            guard x == x.rounded(), abs(x) < 1e15 else { throw EngineError(name, "must be an integer, got \(value)") }
            guard Int(x) >= lo else { throw EngineError(name, "must be at least \(lo), got \(Int(x))") }
            return Int(x)
        }
        func positive() throws -> Float {
            let x = try number()
            guard x > 0 else { throw EngineError(name, "must be positive, got \(value)") }
            return Float(x)
        }
        func flag() throws -> Bool {
            guard case .flag(let b) = value else { throw EngineError(name, "must be true or false, got \(value)") }
            return b
        }
        func choice<C: RawRepresentable & CaseIterable>(_: C.Type) throws -> C where C.RawValue == String {
            guard case .text(let t) = value, let c = C(rawValue: t) else {
                throw EngineError(name, "must be one of \(C.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), got \(value)")
            }
            return c
        }
        let probing = !finetuneEnabled
        switch setting {
        case .epochs:
            let v = try integer(min: 0)
            if probing { preview.epochs = v } else { finetune.epochs = v }
        case .lr:
            let v = try positive()
            if probing { preview.lr = v } else { finetune.lr = v }
        case .batch:
            let v = try integer(min: 1)
            finetune.batch = v
            preview.batch = v
        case .weightDecay:
            let v = try number()
            guard v >= 0 else { throw EngineError(name, "must be non-negative, got \(value)") }
            if probing { preview.weightDecay = Float(v) } else { finetune.weightDecay = Float(v) }
        case .optimizer:
            let v = try choice(TrainConfig.OptimizerChoice.self)
            if probing { preview.optimizer = v } else { finetune.optimizer = v }
        case .schedule:
            let v = try choice(TrainConfig.ScheduleChoice.self)
            if probing { preview.schedule = v } else { finetune.schedule = v }
        case .warmup:
            let v = try integer(min: 0)
            if probing { preview.warmupEpochs = v } else { finetune.warmupEpochs = v }
        case .previewEpochs:
            preview.epochs = try integer(min: 0)
            previewEnabled = previewEnabled && preview.epochs > 0
        case .previewLR: preview.lr = try positive()
        case .dropPath: finetune.dropPath = Float(try number())
        case .patience:
            let v = value == .none ? nil : try integer(min: 0)
            let p = v == 0 ? nil : v // nil or 0 turns early stopping off
            if probing { preview.patience = p } else { finetune.patience = p }
        case .gradClip: finetune.gradClip = try positive()
        case .crop:
            let v = try integer(min: 16)
            finetune.crop = v
            preview.crop = v
        case .maxBatches:
            let v = try integer(min: 1)
            finetune.maxBatches = v
            preview.maxBatches = v
        case .balanced:
            finetune.balanced = try flag()
            preview.balanced = finetune.balanced
        case .seed:
            let v = UInt64(try integer(min: 0))
            finetune.seed = v
            preview.seed = v
            headSeed = v
        case .checkpoint:
            if value == .none { checkpointDir = nil; return }
            guard case .text(let t) = value, !t.isEmpty else { throw EngineError(name, "must be a folder path, got \(value)") }
            checkpointDir = t
        case .resume: resume = try flag()
        }
    }
}

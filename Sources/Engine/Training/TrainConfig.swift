/// Settings of one training phase. Defaults marked (ours) are this project's choices where the
/// post-training paper is silent (SCIENCE.md §3).
public struct TrainConfig: Sendable, Equatable {
    public enum OptimizerChoice: String, CaseIterable, Sendable { case adam, adamw, sgd }
    public enum ScheduleChoice: String, CaseIterable, Sendable { case cosine, constant, step }

    public var epochs = 10
    public var lr: Float = 1e-4
    public var batch = 32
    public var weightDecay: Float = 0.01
    public var optimizer: OptimizerChoice = .adamw
    public var schedule: ScheduleChoice = .cosine
    /// Warm-up in epochs (linear), (ours) 1.
    public var warmupEpochs = 1
    /// Global gradient-norm clipping (nil: none).
    public var gradClip: Float? = 1.0
    /// Stochastic depth: the last block's drop probability (linear from 0 over the blocks).
    public var dropPath: Float = 0
    /// Early stopping after this many epochs without a better validation macro AUROC (nil: never).
    public var patience: Int? = 5
    /// Random crops of this many samples in training (centre crops in evaluation); nil: whole records.
    public var crop: Int? = nil
    /// Per-class positive weights for BCE from the training prevalence (neg/pos), off by default.
    public var balanced = false
    /// Cap on batches per epoch (for quick runs; nil: all).
    public var maxBatches: Int? = nil
    public var seed: UInt64 = 0

    public init() {}

    public func validate(op: String) throws {
        guard epochs >= 0 && epochs <= 100_000 else { throw EngineError(op, "epochs must be between 0 and 100000, got \(epochs)") }
        guard lr > 0 && lr.isFinite else { throw EngineError(op, "lr must be positive, got \(lr)") }
        guard batch >= 1 && batch <= 65_536 else { throw EngineError(op, "batch must be between 1 and 65536, got \(batch)") }
        guard weightDecay >= 0 else { throw EngineError(op, "weight_decay must be non-negative, got \(weightDecay)") }
        guard warmupEpochs >= 0 else { throw EngineError(op, "warmup must be non-negative, got \(warmupEpochs)") }
        guard dropPath >= 0 && dropPath < 1 else { throw EngineError(op, "drop_path must be in [0, 1), got \(dropPath)") }
        if let p = patience, p < 1 { throw EngineError(op, "patience must be at least 1, got \(p)") }
        if let c = gradClip, !(c > 0) { throw EngineError(op, "grad_clip must be positive, got \(c)") }
        if let c = crop, c < 16 { throw EngineError(op, "crop must be at least 16 samples, got \(c)") }
        if let m = maxBatches, m < 1 { throw EngineError(op, "max_batches must be at least 1, got \(m)") }
    }
}

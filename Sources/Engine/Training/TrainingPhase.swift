/// A phase of training, as histories, progress lines and checkpoints name it.
public enum TrainingPhase: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// The post-training recipe's linear probe on cached features before fine-tuning.
    case preview
    /// The linear-probe recipe (the same head training, as the whole run).
    case linearProbe = "linear_probe"
    /// Full fine-tuning.
    case finetune
    /// The logistic-regression reference on per-lead statistics.
    case leadStatistics = "lead_stats_baseline"

    public var description: String { rawValue }
}

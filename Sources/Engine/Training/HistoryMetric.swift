/// A per-epoch quantity of a training history (a column of `run.history`, a panel of `plot_history`).
public enum HistoryMetric: String, CaseIterable, Sendable {
    case trainLoss = "train_loss"
    case valLoss = "val_loss"
    case valAUROC = "val_auroc"
    case valAUPRC = "val_auprc"
    case lr
    case seconds

    public func value(_ r: EpochRecord) -> Double {
        switch self {
        case .trainLoss: return r.trainLoss
        case .valLoss: return r.valLoss
        case .valAUROC: return r.valAUROC
        case .valAUPRC: return r.valAUPRC
        case .lr: return r.lr
        case .seconds: return r.seconds
        }
    }
}

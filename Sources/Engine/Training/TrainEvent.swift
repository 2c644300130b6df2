/// What training reports while it runs (the Shell turns these into progress lines).
public enum TrainEvent: Sendable {
    case batch(
        phase: TrainingPhase, epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, samplesPerSecond: Double, etaSeconds: Double)
    case epoch(EpochRecord, best: Bool)
    /// A line to keep: what a run is doing, a warning, an early stop.
    case message(String)
    /// Transient progress text (records decoded so far), replaced by the next.
    case status(String)
}

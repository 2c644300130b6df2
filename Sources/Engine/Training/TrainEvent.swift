/// What training reports while it runs (the Shell turns these into progress lines).
public enum TrainEvent: Sendable {
    case batch(
        phase: TrainingPhase, epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, samplesPerSecond: Double, etaSeconds: Double)
    case epoch(EpochRecord, best: Bool)
    case message(String)
}

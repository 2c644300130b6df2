/// One epoch of a training history.
public struct EpochRecord: Sendable, Equatable, Codable {
    public var phase: TrainingPhase
    public var epoch: Int
    public var trainLoss: Double
    public var valLoss: Double
    public var valAUROC: Double
    public var valAUPRC: Double
    public var lr: Double
    public var seconds: Double
}

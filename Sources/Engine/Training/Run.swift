import Foundation

/// A finished (or interrupted) training run: the selected model, its history and settings.
public final class Run: @unchecked Sendable {
    public let recipe: String
    /// The model at the best validation epoch (or the last one without validation).
    public let model: Net1D
    public internal(set) var history: [EpochRecord]
    /// Epoch (1-based, within the fine-tuning phase) whose weights `model` holds.
    public internal(set) var bestEpoch: Int?
    public internal(set) var bestValAUROC: Double
    /// True when a stop request (Ctrl-C) ended training early; the best model so far is kept.
    public internal(set) var interrupted: Bool
    public internal(set) var seconds: Double
    /// The settings used, for display and reports.
    public let settings: [RecipeSettings.Entry]

    init(
        recipe: String, model: Net1D, history: [EpochRecord], bestEpoch: Int?, bestValAUROC: Double,
        interrupted: Bool, seconds: Double, settings: [RecipeSettings.Entry]
    ) {
        self.recipe = recipe
        self.model = model
        self.history = history
        self.bestEpoch = bestEpoch
        self.bestValAUROC = bestValAUROC
        self.interrupted = interrupted
        self.seconds = seconds
        self.settings = settings
    }
}

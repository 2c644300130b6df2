import Foundation
import Testing
@testable import Engine

/// Whole recipes against an independent PyTorch implementation (scripts/make_training_reference.py):
/// the same real records, initial weights, new head and batch order; every step's loss and the final
/// weights (after the best validation epoch is restored) of `baseline`, `linear_probe` and `post`
/// (drop path 0). Guards the recipe — schedules, warm-up, clipping, feature caching, model selection —
/// not only one optimiser step.
@Suite struct TrainingTrajectoryTests {
    static let ref = (try? Fixtures.reference("training.ref.safetensors")) ?? [:]

    static func data() throws -> ECGDataset {
        let x = try #require(ref["x"]), y = try #require(ref["y"])
        return try ECGDataset(
            name: "trajectory", rate: 100, leads: standardLeads, classes: ["CD", "HYP", "MI", "NORM", "STTC"],
            signals: x, targets: y, recordNames: (0..<48).map { "r\($0)" },
            folds: Array(repeating: 1, count: 32) + Array(repeating: 9, count: 16))
    }

    static func model() throws -> Net1D {
        let m = try Net1D(Net1DConfig.preset("tiny", classes: 5), seed: 99)
        var state: [String: Tensor] = [:]
        for (k, v) in ref where k.hasPrefix("init.") { state[String(k.dropFirst(5))] = v }
        try m.loadState(state, strict: false)
        m.pretrained = true
        return m
    }

    static func settings(_ recipe: String) -> RecipeSettings {
        switch recipe {
        case "baseline":
            var s = RecipeSettings.baseline
            s.finetune.epochs = 3; s.finetune.batch = 8; s.finetune.lr = 1e-3
            return s
        case "linear_probe":
            var s = RecipeSettings.linearProbe
            s.preview.epochs = 3; s.preview.batch = 8
            return s
        default:
            var s = RecipeSettings.post
            s.preview.epochs = 2; s.preview.batch = 8
            s.finetune.epochs = 3; s.finetune.batch = 8; s.finetune.lr = 1e-3; s.finetune.dropPath = 0
            return s
        }
    }

    @Test(arguments: ["baseline", "linear_probe", "post"])
    func recipeFollowsPyTorch(recipe: String) throws {
        let refLosses = try #require(Self.ref[recipe + ".losses"]).values.map(Double.init)
        var losses: [Double] = []
        let hooks = TrainHooks(onEvent: { if case let .batch(_, _, _, _, _, loss, _, _) = $0 { losses.append(loss) } })
        let run = try Recipes.run(recipe, model: try Self.model(), data: try Self.data(), settings: Self.settings(recipe), hooks: hooks)
        #expect(losses.count == refLosses.count)
        var worstLoss = 0.0
        for (a, b) in zip(losses, refLosses) { worstLoss = max(worstLoss, abs(a - b) / abs(b)) }
        #expect(worstLoss <= 1e-4, "\(recipe): worst relative loss error \(worstLoss)")
        var worstWeight: Float = 0
        var compared = 0
        for (name, t) in run.model.state {
            guard let r = Self.ref[recipe + ".final." + name] else { continue }
            worstWeight = max(worstWeight, relativeError(t, r))
            compared += 1
        }
        #expect(compared == run.model.parameters.count)
        #expect(worstWeight <= 1e-3, "\(recipe): worst relative weight error \(worstWeight)")
        print("trajectory \(recipe): \(losses.count) steps, worst loss error \(worstLoss), worst weight error \(worstWeight)")
    }
}

import Testing
@testable import Engine

/// Each recipe setting is applied and checked in one place (`RecipeSettings.set`).
@Suite struct RecipeSettingTests {
    @Test func settingsGoToTheTrainedPhase() throws {
        var post = RecipeSettings.post
        try post.set(.lr, .number(3e-4))
        try post.set(.weightDecay, .number(0.05))
        try post.set(.previewLR, .number(2e-3))
        #expect(post.finetune.lr == 3e-4 && post.preview.lr == 2e-3 && post.finetune.weightDecay == 0.05)
        // A linear probe trains only the head: its epochs, lr, optimizer, weight decay and patience are the probe's.
        var probe = RecipeSettings.linearProbe
        try probe.set(.epochs, .number(7))
        try probe.set(.optimizer, .text("sgd"))
        try probe.set(.weightDecay, .number(0.1))
        try probe.set(.patience, .number(3))
        #expect(
            probe.preview.epochs == 7 && probe.preview.optimizer == .sgd && probe.preview.weightDecay == 0.1 && probe.preview.patience == 3)
        #expect(probe.finetune == RecipeSettings.linearProbe.finetune)
        // Shared settings reach both phases; seed also seeds the head.
        try post.set(.batch, .number(16))
        try post.set(.seed, .number(4))
        try post.set(.crop, .number(250))
        #expect(post.finetune.batch == 16 && post.preview.batch == 16 && post.headSeed == 4 && post.preview.crop == 250)
        // patience nil or 0 switches early stopping off; preview_epochs=0 switches the preview off.
        try post.set(.patience, .none)
        #expect(post.finetune.patience == nil)
        try post.set(.patience, .number(0))
        #expect(post.finetune.patience == nil)
        try post.set(.previewEpochs, .number(0))
        #expect(!post.previewEnabled)
    }

    @Test(arguments: [
        (RecipeSetting.epochs, SettingValue.number(-1), "epochs: must be at least 0, got -1"),
        (.epochs, .number(1.5), "epochs: must be an integer, got 1.5"),
        (.lr, .number(0), "lr: must be positive, got 0"),
        (.lr, .text("fast"), "lr: must be a number, got fast"),
        (.optimizer, .text("adan"), "optimizer: must be one of \"adam\", \"adamw\", \"sgd\", got adan"),
        (.crop, .number(8), "crop: must be at least 16, got 8"),
        (.balanced, .number(1), "balanced: must be true or false, got 1"),
        (.weightDecay, .number(-0.1), "weight_decay: must be non-negative, got -0.1")
    ])
    func badValuesNameTheSetting(setting: RecipeSetting, value: SettingValue, message: String) {
        var s = RecipeSettings.post
        #expect { try s.set(setting, value) } throws: { "\($0)" == message }
    }

    @Test func everySettingHasDocumentation() {
        #expect(RecipeSetting.allCases.allSatisfy { !$0.doc.isEmpty })
        #expect(Set(RecipeSetting.allCases.map(\.rawValue)).count == RecipeSetting.allCases.count)
    }
}

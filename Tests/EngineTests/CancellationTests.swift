import Foundation
import Testing
@testable import Engine

/// Long engine operations stop at the next record or batch once `Cancellation.shouldStop` says so,
/// and throw `Interrupted` (training instead ends gracefully, keeping its best epoch).
@Suite struct CancellationTests {
    /// A stop request that turns true after `polls` polls (thread-safe: parallel loops poll it).
    final class Countdown: @unchecked Sendable {
        private let limit: Int
        private(set) var polls = 0
        private let lock = NSLock()
        init(_ limit: Int) { self.limit = limit }
        func poll() -> Bool {
            lock.lock(); defer { lock.unlock() }
            polls += 1
            return polls > limit
        }
    }

    func expectInterrupted(after polls: Int, _ body: () throws -> Void) -> Countdown {
        let c = Countdown(polls)
        do {
            try Cancellation.withStopCheck({ c.poll() }) { try body() }
            Issue.record("finished without being interrupted")
        } catch {
            #expect(Cancellation.isInterruption(error), "\(error)")
        }
        return c
    }

    @Test func synthesisLoadingPreprocessingPredictionAndBootstrapStop() throws {
        var g = SyntheticECG()
        g.seconds = 2.5
        // Synthesis of 400 records stops after a few (one poll per record, at most one more per worker).
        let s = expectInterrupted(after: 3) { _ = try g.dataset(count: 400, seed: 1) }
        #expect(s.polls < 40, "\(s.polls) polls")
        _ = expectInterrupted(after: 5) { _ = try PTBXL.load(dir: Fixtures.ptbxlSample, task: .rhythm, useCache: false) }
        let ds = try g.dataset(count: 64, seed: 1)
        var pre = Preprocess()
        pre.notch = nil
        _ = expectInterrupted(after: 5) { _ = try pre.apply(to: ds) }
        let model = try Net1D(Net1DConfig.preset("tiny", classes: ds.classes.count), seed: 1)
        _ = expectInterrupted(after: 1) { _ = try Inference.predict(model, ds, batch: 8) }
        let ev = expectInterrupted(after: 0) { _ = try Inference.evaluate(model, ds, bootstrap: 50, strict: false) }
        #expect(ev.polls >= 1)
        // A 3M-value randn checks between 1M-value chunks.
        let r = expectInterrupted(after: 1) {
            var rng = SeededRandom(seed: 1); _ = try Tensor.randn([3, 1 << 20], rng: &rng)
        }
        #expect(r.polls == 2)
        // Without a stop request the same calls finish.
        _ = try Inference.evaluate(model, ds, bootstrap: 5, strict: false)
    }

    @Test func trainingEndsGracefullyInsteadOfThrowing() throws {
        let ds = try TrainingTests.data()
        let s = TrainingTests.quick(.post, epochs: 2)
        // A stop request after the preview phase's first epoch ends that phase with its best epoch; fine-tuning
        // does not start.
        let epochs = Counter()
        let run = try Cancellation.withStopCheck({ epochs.value >= 1 }) {
            try Recipes.run(
                "post", model: try TrainingTests.tiny(), data: ds, settings: s,
                hooks: TrainHooks(onEvent: { if case .epoch = $0 { epochs.value += 1 } }))
        }
        #expect(run.interrupted && run.history.map(\.phase) == [.preview] && run.bestEpoch == 1)
        // A stop request before anything trained (while features are cached) is an interruption, not a failure.
        #expect(throws: Interrupted.self) {
            try Cancellation.withStopCheck({ true }) { try Recipes.run("post", model: try TrainingTests.tiny(), data: ds, settings: s) }
        }
    }
}

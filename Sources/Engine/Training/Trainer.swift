import Foundation

/// The training loop shared by full fine-tuning and head-only training on cached features:
/// mini-batches, BCE-with-logits, the chosen optimiser and schedule with warm-up, gradient clipping,
/// validation macro AUROC every epoch, best-model selection, early stopping, cooperative stop.
public enum Trainer {
    /// What one phase trains: a batch source and a forward function over it.
    struct Phase {
        var name: TrainingPhase
        var config: TrainConfig
        var params: [(String, Tensor)]
        var trainCount: Int
        var batch: (_ positions: [Int], _ rng: inout SeededRandom?) throws -> (Tensor, Tensor)
        var forward: (_ x: Tensor, _ ctx: ForwardContext) throws -> Tensor
        /// Validation: (loss, macro AUROC, macro AUPRC), or nil without a validation set.
        var validate: () throws -> (Double, Double, Double)?
        var posWeight: Tensor?
        var snapshot: () -> [Tensor]
        var restore: ([Tensor]) throws -> Void
    }

    struct Outcome {
        var history: [EpochRecord]
        var bestEpoch: Int?
        var bestAUROC: Double
        var interrupted: Bool
    }

    static func makeOptimizer(_ c: TrainConfig, _ params: [Tensor]) throws -> Optimizer {
        switch c.optimizer {
        case .adam: return try .adam(params, lr: c.lr, weightDecay: c.weightDecay)
        case .adamw: return try .adamW(params, lr: c.lr, weightDecay: c.weightDecay)
        case .sgd: return try .sgd(params, lr: c.lr, momentum: 0.9, weightDecay: c.weightDecay)
        }
    }

    static func run(
        _ phase: Phase, hooks: TrainHooks, startEpoch: Int = 0, history: [EpochRecord] = [],
        optimizerState: [String: Tensor]? = nil, initialBest: (epoch: Int, auroc: Double, snap: [Tensor])? = nil,
        checkpoint: ((Int, Optimizer, [EpochRecord], Bool) throws -> Void)? = nil
    ) throws -> Outcome {
        let c = phase.config
        try c.validate(op: phase.name.rawValue)
        let trainable = phase.params.filter { $0.1.requiresGrad }
        guard !trainable.isEmpty else { throw EngineError(phase.name.rawValue, "no trainable parameters (everything is frozen)") }
        guard phase.trainCount > 0 else { throw EngineError(phase.name.rawValue, "the training split is empty") }
        let opt = try makeOptimizer(c, trainable.map(\.1))
        if let s = optimizerState { try opt.importState(s, trainable) }
        let batchesPerEpoch = min((phase.trainCount + c.batch - 1) / c.batch, c.maxBatches ?? Int.max)
        let total = c.epochs * batchesPerEpoch, warm = c.warmupEpochs * batchesPerEpoch
        let schedule: LRSchedule =
            switch c.schedule {
            case .constant: .constant
            case .cosine: .cosine(total: total, minFactor: 0)
            case .step: .step(every: max(1, total / 3), gamma: 0.1)
            }
        var hist = history
        var best = initialBest.map { (epoch: $0.epoch - 1, auroc: $0.auroc, snap: $0.snap) }
        var sinceBest = 0
        var interrupted = false
        let started = Date()
        var samplesDone = 0, steps = 0
        let reduceStart = (seconds: Distributed.world?.allreduceSeconds ?? 0, calls: Distributed.world?.allreduceCalls ?? 0)
        epochLoop: for epoch in startEpoch..<c.epochs {
            let t0 = Date()
            var order = try ECGDataset.batches(count: phase.trainCount, size: c.batch, seed: c.seed &+ UInt64(epoch) &* 7919)
            if order.count > batchesPerEpoch { order = Array(order.prefix(batchesPerEpoch)) }
            var lossSum = 0.0, lossN = 0
            var cropRNG: SeededRandom? = SeededRandom(seed: c.seed ^ (UInt64(epoch) &* 0x51_7CC1))
            for (bi, positions) in order.enumerated() {
                if try DataParallel.anyRank(Cancellation.shouldStop()) { interrupted = true; break epochLoop }
                let step = epoch * batchesPerEpoch + bi
                opt.setLRFactor(schedule.factor(step: step, warmup: warm))
                // Every rank builds the whole batch (the crops draw as in one process) and runs its rows of it.
                var (x, y) = try phase.batch(positions, &cropRNG)
                let ctx = ForwardContext(training: true, seed: c.seed &+ UInt64(step) &* 0x9E37)
                if let world = Distributed.world {
                    let shard = BatchShard(batch: positions.count, comm: world)
                    (x, y) = (try shard.slice(x), try shard.slice(y))
                    ctx.shard = shard
                }
                opt.zeroGrad()
                let logits = try phase.forward(x, ctx)
                var loss = try Tensor.bceWithLogits(logits, targets: y, posWeight: phase.posWeight)
                if let shard = ctx.shard { loss = loss.affine(scale: shard.lossWeight) }
                try loss.backward()
                let l = try DataParallel.sumGradients(trainable.map(\.1), loss: Double(try loss.item()))
                if let clip = c.gradClip { clipGradients(trainable.map(\.1), maxNorm: clip) }
                opt.step()
                guard l.isFinite else {
                    throw EngineError(phase.name.rawValue, "loss became \(l) at epoch \(epoch + 1), batch \(bi + 1) (try a lower lr)")
                }
                lossSum += l * Double(positions.count); lossN += positions.count
                samplesDone += positions.count
                steps += 1
                let elapsed = Date().timeIntervalSince(started)
                let rate = Double(samplesDone) / max(elapsed, 1e-9)
                let remaining = Double((c.epochs - epoch) * batchesPerEpoch - bi - 1) * Double(c.batch) / max(rate, 1e-9)
                hooks.onEvent(
                    .batch(
                        phase: phase.name, epoch: epoch + 1, epochs: c.epochs, batch: bi + 1, batches: order.count,
                        loss: l, samplesPerSecond: rate, etaSeconds: remaining))
            }
            // A stop request seen inside validation ends training like one between batches: this epoch is lost,
            // the best one so far is kept.
            let v: (Double, Double, Double)?
            do { v = try phase.validate() } catch is Interrupted { interrupted = true; break epochLoop }
            let record = EpochRecord(
                phase: phase.name, epoch: epoch + 1, trainLoss: lossSum / Double(max(lossN, 1)),
                valLoss: v?.0 ?? .nan, valAUROC: v?.1 ?? .nan, valAUPRC: v?.2 ?? .nan,
                lr: Double(opt.groups[0].lr), seconds: Date().timeIntervalSince(t0))
            hist.append(record)
            let phaseEpochs = hist.filter { $0.phase == phase.name }.count
            let isBest = best == nil || better(record.valAUROC, than: best!.auroc) || v == nil
            if isBest { best = (phaseEpochs - 1, record.valAUROC, phase.snapshot()); sinceBest = 0 } else { sinceBest += 1 }
            hooks.onEvent(.epoch(record, best: isBest))
            try checkpoint?(epoch + 1, opt, hist, isBest)
            if let p = c.patience, sinceBest >= p {
                hooks.onEvent(.message("\(phase.name): early stop after epoch \(epoch + 1) (no better validation AUROC for \(p) epochs)"))
                break
            }
        }
        if let world = Distributed.world, steps > 0 {
            let reduce = world.allreduceSeconds - reduceStart.seconds, total = Date().timeIntervalSince(started)
            hooks.onEvent(
                .message(
                    String(
                        format:
                            "%@: data parallel over %d ranks: %.0f samples/s, all-reduce %.1f ms a step (%d calls, %.1f %% of the time)",
                        phase.name.rawValue, world.size, Double(samplesDone) / max(total, 1e-9), 1000 * reduce / Double(steps),
                        world.allreduceCalls - reduceStart.calls, 100 * reduce / max(total, 1e-9))))
        }
        if let b = best { try phase.restore(b.snap) }
        return Outcome(history: hist, bestEpoch: best.map { $0.epoch + 1 }, bestAUROC: best?.auroc ?? .nan, interrupted: interrupted)
    }

    /// Batches of rows of precomputed `(N, F)` features and their `(N, K)` targets (head-only training).
    static func rowBatches(features ft: Tensor, targets yt: Tensor) -> (_ positions: [Int], _ rng: inout SeededRandom?) throws -> (
        Tensor, Tensor
    ) {
        let F = ft.shape[1], K = yt.shape[1]
        return { positions, _ in
            let x = Tensor(zeros: [positions.count, F], zeroed: false), y = Tensor(zeros: [positions.count, K], zeroed: false)
            for (b, p) in positions.enumerated() {
                (x.data + b * F).update(from: ft.data + p * F, count: F)
                (y.data + b * K).update(from: yt.data + p * K, count: K)
            }
            return (x, y)
        }
    }

    /// `a` beats `b` when it is a number and `b` is not, or when it is larger.
    static func better(_ a: Double, than b: Double) -> Bool { !a.isNaN && (b.isNaN || a > b) }

    /// Scales all gradients so that their global L2 norm is at most `maxNorm` (`clip_grad_norm_`).
    static func clipGradients(_ params: [Tensor], maxNorm: Float) {
        var sq = 0.0
        for p in params { if let g = p.grad { for i in 0..<g.count { sq += Double(g.data[i]) * Double(g.data[i]) } } }
        let norm = sq.squareRoot()
        guard norm > Double(maxNorm) else { return }
        let scale = Float(Double(maxNorm) / (norm + 1e-6))
        for p in params { if let g = p.grad { for i in 0..<g.count { g.data[i] *= scale } } }
    }
}

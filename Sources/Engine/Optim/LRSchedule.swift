import Foundation

/// Learning-rate schedules as a factor of the base rate per step (PyTorch's LambdaLR style).
/// Steps count from 0; `warmup` steps rise linearly from `1 / (warmup + 1)` to 1 first.
public enum LRSchedule: Equatable, Sendable {
    case constant
    /// Multiply by `gamma` every `every` steps (StepLR).
    case step(every: Int, gamma: Float)
    /// Cosine from 1 to `minFactor` over `total` steps (after warm-up).
    case cosine(total: Int, minFactor: Float)

    public func factor(step: Int, warmup: Int) -> Float {
        if warmup > 0 && step < warmup { return Float(step + 1) / Float(warmup + 1) }
        let s = step - warmup
        switch self {
        case .constant:
            return 1
        case let .step(every, gamma):
            return Foundation.pow(gamma, Float(s / Swift.max(every, 1)))
        case let .cosine(total, minFactor):
            let span = Swift.max(total - warmup, 1)
            let t = Float(Swift.min(s, span)) / Float(span)
            return minFactor + (1 - minFactor) * 0.5 * (1 + Foundation.cos(Float.pi * t))
        }
    }
}

/// ReduceLROnPlateau in "max" mode (for validation AUROC): after `patience` epochs without an
/// improvement larger than `threshold` (relative), multiply the factor by `factor`.
public struct ReduceOnPlateau: Sendable {
    public var factor: Float
    public var patience: Int
    public var threshold: Float
    public var minFactor: Float
    public private(set) var current: Float = 1
    private var best: Float = -.infinity
    private var badEpochs = 0

    public init(factor: Float = 0.1, patience: Int = 10, threshold: Float = 1e-4, minFactor: Float = 0) {
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.minFactor = minFactor
    }

    /// Records an epoch's metric; returns the learning-rate factor to use next.
    public mutating func observe(_ metric: Float) -> Float {
        if metric > best * (1 + threshold) || best == -.infinity {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
            if badEpochs > patience {
                current = Swift.max(current * factor, minFactor)
                badEpochs = 0
            }
        }
        return current
    }
}

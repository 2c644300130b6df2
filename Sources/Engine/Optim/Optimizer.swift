import Foundation

/// A set of parameters sharing hyper-parameters (PyTorch's param group). Frozen tensors
/// (`requiresGrad == false`) and tensors without a gradient are skipped by `step()`.
public struct ParamGroup {
    public var params: [Tensor]
    public var lr: Float
    public var weightDecay: Float

    public init(params: [Tensor], lr: Float, weightDecay: Float = 0) {
        self.params = params
        self.lr = lr
        self.weightDecay = weightDecay
    }
}

/// The update rule of an optimiser; implementations follow PyTorch's `torch.optim` exactly.
public enum OptimizerKind: Equatable, Sendable {
    case sgd(momentum: Float, dampening: Float, nesterov: Bool)
    /// Adam with L2 weight decay added to the gradient.
    case adam(beta1: Float, beta2: Float, eps: Float)
    /// AdamW with decoupled weight decay.
    case adamW(beta1: Float, beta2: Float, eps: Float)
}

/// Holds parameter groups and per-parameter state; `step()` applies one update.
public final class Optimizer {
    public var groups: [ParamGroup]
    public let kind: OptimizerKind
    /// Base learning rates, one per group, that schedules scale.
    public let baseLRs: [Float]
    private var stepCount: [ObjectIdentifier: Int] = [:]
    private var buf1: [ObjectIdentifier: Tensor] = [:]
    private var buf2: [ObjectIdentifier: Tensor] = [:]

    public init(_ kind: OptimizerKind, groups: [ParamGroup]) throws {
        for g in groups {
            guard g.lr >= 0, g.lr.isFinite else { throw EngineError("optimizer", "learning rate must be non-negative (got \(g.lr))") }
            guard g.weightDecay >= 0 else { throw EngineError("optimizer", "weight decay must be non-negative (got \(g.weightDecay))") }
        }
        self.kind = kind
        self.groups = groups
        self.baseLRs = groups.map(\.lr)
    }

    /// `kind` over one parameter group (what torch.optim's constructors make from a plain parameter list).
    public convenience init(_ kind: OptimizerKind, _ params: [Tensor], lr: Float, weightDecay: Float) throws {
        try self.init(kind, groups: [ParamGroup(params: params, lr: lr, weightDecay: weightDecay)])
    }

    public static func adamW(
        _ params: [Tensor], lr: Float = 1e-3, weightDecay: Float = 0.01, betas: (Float, Float) = (0.9, 0.999), eps: Float = 1e-8
    ) throws -> Optimizer {
        try Optimizer(.adamW(beta1: betas.0, beta2: betas.1, eps: eps), params, lr: lr, weightDecay: weightDecay)
    }

    public static func adam(
        _ params: [Tensor], lr: Float = 1e-3, weightDecay: Float = 0, betas: (Float, Float) = (0.9, 0.999), eps: Float = 1e-8
    ) throws -> Optimizer {
        try Optimizer(.adam(beta1: betas.0, beta2: betas.1, eps: eps), params, lr: lr, weightDecay: weightDecay)
    }

    public static func sgd(
        _ params: [Tensor], lr: Float, momentum: Float = 0, dampening: Float = 0, nesterov: Bool = false, weightDecay: Float = 0
    ) throws -> Optimizer {
        try Optimizer(.sgd(momentum: momentum, dampening: dampening, nesterov: nesterov), params, lr: lr, weightDecay: weightDecay)
    }

    /// Clears the gradients of every parameter.
    public func zeroGrad() {
        for g in groups { for p in g.params { p.grad = nil } }
    }

    /// Applies one update to every parameter that has a gradient.
    public func step() {
        for group in groups {
            for p in group.params where p.requiresGrad {
                guard let grad = p.grad else { continue }
                update(p, grad, lr: group.lr, wd: group.weightDecay)
            }
        }
    }

    private func update(_ p: Tensor, _ grad: Tensor, lr: Float, wd: Float) {
        let id = ObjectIdentifier(p)
        let step = (stepCount[id] ?? 0) + 1
        stepCount[id] = step
        let n = p.count
        let w = p.data, g = grad.data
        switch kind {
        case let .sgd(momentum, dampening, nesterov):
            let d = Tensor(zeros: [n], zeroed: false)
            for i in 0..<n { d.data[i] = g[i] + wd * w[i] }
            if momentum != 0 {
                if let b = buf1[id] {
                    for i in 0..<n { b.data[i] = momentum * b.data[i] + (1 - dampening) * d.data[i] }
                } else {
                    buf1[id] = d.clone()
                }
                let b = buf1[id]!.data
                if nesterov { for i in 0..<n { d.data[i] += momentum * b[i] } } else { d.data.update(from: b, count: n) }
            }
            for i in 0..<n { w[i] -= lr * d.data[i] }
        case let .adam(b1, b2, eps), let .adamW(b1, b2, eps):
            let decoupled: Bool
            if case .adamW = kind { decoupled = true } else { decoupled = false }
            let m = buf1[id] ?? Tensor(zeros: p.shape)
            let v = buf2[id] ?? Tensor(zeros: p.shape)
            buf1[id] = m
            buf2[id] = v
            let bc1 = 1 - Foundation.pow(b1, Float(step))
            let bc2 = 1 - Foundation.pow(b2, Float(step))
            let stepSize = lr / bc1
            let bc2Sqrt = bc2.squareRoot()
            let mp = m.data, vp = v.data
            let decay = decoupled ? 1 - lr * wd : 1
            let l2 = decoupled ? 0 : wd
            Parallel.forEachChunk(n) { r in
                Self.adamUpdate(
                    w: w + r.lowerBound, g: g + r.lowerBound, m: mp + r.lowerBound, v: vp + r.lowerBound, count: r.count,
                    AdamScalars(b1: b1, b2: b2, eps: eps, l2: l2, decay: decay, stepSize: stepSize, bc2Sqrt: bc2Sqrt))
            }
        }
    }

    struct AdamScalars {
        let b1, b2, eps, l2, decay, stepSize, bc2Sqrt: Float
    }

    /// One Adam(W) update of `count` parameters, 16 lanes at a time; a tail of fewer than 16 goes through
    /// the same lanes, copied into a zero-padded buffer and back. Per parameter:
    /// `gᵢ = g + l2·w; w ·= decay; m += (gᵢ − m)(1 − β1)` (the lerp PyTorch computes exp_avg with);
    /// `v = v·β2 + (1 − β2)·gᵢ·gᵢ; w −= stepSize·m / (√v / √bc2 + ε)` — lane by lane, so the result does not
    /// depend on where a chunk starts. The scalar loop compiled to one scalar division and square root per
    /// parameter: the step was bound by them, not by memory.
    static func adamUpdate(
        w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
        v: UnsafeMutablePointer<Float>, count: Int, _ c: AdamScalars
    ) {
        typealias V = SIMD16<Float>
        @inline(__always) func step(
            _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
            _ v: UnsafeMutablePointer<Float>
        ) {
            let wv = UnsafeRawPointer(w).loadUnaligned(as: V.self), gi = UnsafeRawPointer(g).loadUnaligned(as: V.self) + c.l2 * wv
            var mv = UnsafeRawPointer(m).loadUnaligned(as: V.self), vv = UnsafeRawPointer(v).loadUnaligned(as: V.self)
            var nw = wv * c.decay
            mv += (gi - mv) * (1 - c.b1)
            vv = vv * c.b2 + (1 - c.b2) * gi * gi
            nw -= c.stepSize * mv / (vv.squareRoot() / c.bc2Sqrt + c.eps)
            UnsafeMutableRawPointer(w).storeBytes(of: nw, as: V.self)
            UnsafeMutableRawPointer(m).storeBytes(of: mv, as: V.self)
            UnsafeMutableRawPointer(v).storeBytes(of: vv, as: V.self)
        }
        let full = count / 16 * 16
        for i in stride(from: 0, to: full, by: 16) { step(w + i, g + i, m + i, v + i) }
        let rest = count - full
        if rest == 0 { return }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { buffer in
            let t = buffer.baseAddress!
            t.initialize(repeating: 0, count: 64)
            let (tw, tg, tm, tv) = (t, t + 16, t + 32, t + 48)
            tw.update(from: w + full, count: rest)
            tg.update(from: g + full, count: rest)
            tm.update(from: m + full, count: rest)
            tv.update(from: v + full, count: rest)
            step(tw, tg, tm, tv)
            (w + full).update(from: tw, count: rest)
            (m + full).update(from: tm, count: rest)
            (v + full).update(from: tv, count: rest)
        }
    }

    /// Scales every group's learning rate to `factor` × its base rate (used by schedules).
    public func setLRFactor(_ factor: Float) {
        for i in groups.indices { groups[i].lr = baseLRs[i] * factor }
    }
}

extension Optimizer {
    /// The per-parameter state (step counts and moment buffers) keyed `name.step`, `name.buf1`,
    /// `name.buf2`, for checkpoints that resume exactly.
    public func exportState(_ named: [(String, Tensor)]) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, p) in named {
            let id = ObjectIdentifier(p)
            if let s = stepCount[id] { out[name + ".step"] = Tensor(scalar: Float(s)) }
            if let b = buf1[id] { out[name + ".buf1"] = b.clone() }
            if let b = buf2[id] { out[name + ".buf2"] = b.clone() }
        }
        return out
    }

    /// Restores what `exportState` wrote (shapes must match the parameters).
    public func importState(_ state: [String: Tensor], _ named: [(String, Tensor)]) throws {
        for (name, p) in named {
            let id = ObjectIdentifier(p)
            if let s = state[name + ".step"] { stepCount[id] = Int(try s.item()) }
            for (suffix, isFirst) in [(".buf1", true), (".buf2", false)] {
                guard let b = state[name + suffix] else { continue }
                guard b.shape == p.shape else {
                    throw EngineError(
                        "resume",
                        "optimizer state '\(name + suffix)' has shape \(shapeString(b.shape)), parameter has \(shapeString(p.shape))")
                }
                if isFirst { buf1[id] = b.clone() } else { buf2[id] = b.clone() }
            }
        }
    }
}

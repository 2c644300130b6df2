import Foundation

/// Element-wise unary primitives. Each case gives its forward value and its derivative from the
/// input `x` and output `y` side by side. exp, sigmoid and Swish use `FastMath.exp` (no libm call,
/// so the loops below vectorise).
public enum UnaryOp: String, CaseIterable, Sendable {
    case neg, exp, log, sqrt, abs, sigmoid, swish, relu, tanh, square

    @inline(__always) func forward(_ x: Float) -> Float {
        switch self {
        case .neg: return -x
        case .exp: return FastMath.exp(x)
        case .log: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .abs: return Swift.abs(x)
        case .sigmoid: return FastMath.sigmoid(x)
        case .swish: return FastMath.swish(x)
        case .relu: return x > 0 ? x : 0
        case .tanh: return Foundation.tanh(x)
        case .square: return x * x
        }
    }

    @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
        switch self {
        case .neg: return -1
        case .exp: return y
        case .log: return 1 / x
        case .sqrt: return 0.5 / y
        case .abs: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .sigmoid: return y * (1 - y)
        case .swish: return FastMath.swishDerivative(x)
        case .relu: return x > 0 ? 1 : 0
        case .tanh: return 1 - y * y
        case .square: return 2 * x
        }
    }
}

extension UnaryOp {
    /// Calls `body` with the case as a constant in each branch: `body` (a non-escaping closure
    /// literal) is inlined there, so each element loop is specialised to one function instead of
    /// switching per element. Call it inside a worker's chunk, not around `Parallel` (a captured
    /// case is not propagated into the worker closure: measured 25 % slower).
    @inline(__always)
    func specialised(_ body: (UnaryOp) -> Void) {
        switch self {
        case .neg: body(.neg)
        case .exp: body(.exp)
        case .log: body(.log)
        case .sqrt: body(.sqrt)
        case .abs: body(.abs)
        case .sigmoid: body(.sigmoid)
        case .swish: body(.swish)
        case .relu: body(.relu)
        case .tanh: body(.tanh)
        case .square: body(.square)
        }
    }
}

extension UnaryOp {
    /// `y[i] = forward(x[i])` for `i < count`, on the workers. Swish runs on `SwishKernels`, the kernels of the Swish
    /// fused into convolutions (the same values, 16 lanes at a time); the others as a loop specialised to the case.
    func apply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        if self == .swish { return SwishKernels.swishParallel(x, into: y, count: count) }
        Parallel.forEachChunk(count) { r in specialised { k in for i in r { y[i] = k.forward(x[i]) } } }
    }

    /// `gx[i] = g[i] · derivative(x[i], y[i])` for `i < count`, on the workers (Swish on `SwishKernels`, as `apply`).
    func gradient(
        _ g: UnsafePointer<Float>, x: UnsafePointer<Float>, y: UnsafePointer<Float>, into gx: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        if self == .swish { return SwishKernels.gradient(g, at: x, into: gx, count: count) }
        Parallel.forEachChunk(count) { r in specialised { k in for i in r { gx[i] = g[i] * k.derivative(x[i], y[i]) } } }
    }
}

extension Tensor {
    /// Applies a unary primitive element-wise.
    public func unary(_ op: UnaryOp) -> Tensor {
        let out = Tensor(zeros: shape, zeroed: false)
        op.apply(data, into: out.data, count: count)
        return Tensor.record(out, op: .unary(op), inputs: [self]) { [self] g, out in
            let gi = Tensor(zeros: self.shape, zeroed: false)
            op.gradient(g.data, x: self.data, y: out.data, into: gi.data, count: self.count)
            return [gi]
        }
    }

    /// `x ^ p` for a constant exponent `p`.
    public func pow(_ p: Float) -> Tensor {
        let out = map { Foundation.pow($0, p) }
        return Tensor.record(out, op: .pow, inputs: [self]) { [self] g, _ in
            let gi = Tensor(zeros: self.shape, zeroed: false)
            let x = self.data, gp = g.data, gd = gi.data
            Parallel.forEachChunk(self.count) { r in for i in r { gd[i] = gp[i] * p * Foundation.pow(x[i], p - 1) } }
            return [gi]
        }
    }

    /// `x * s + t` for constants (covers scalar add, sub, mul and div without allocating operands).
    public func affine(scale s: Float, shift t: Float = 0) -> Tensor {
        let out = map { $0 * s + t }
        return Tensor.record(out, op: .affine, inputs: [self]) { g, _ in [g.map { $0 * s }] }
    }
}

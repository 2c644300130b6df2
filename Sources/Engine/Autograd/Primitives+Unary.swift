import Foundation

/// Element-wise unary primitives. Each case gives its forward value and its derivative from the
/// input `x` and output `y` side by side.
public enum UnaryOp: String, CaseIterable, Sendable {
    case neg, exp, log, sqrt, abs, sigmoid, swish, relu, tanh, square

    @inline(__always) func forward(_ x: Float) -> Float {
        switch self {
        case .neg: return -x
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .abs: return Swift.abs(x)
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .swish: return x / (1 + Foundation.exp(-x))
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
        case .swish:
            let s = 1 / (1 + Foundation.exp(-x))
            return s * (1 + x * (1 - s))
        case .relu: return x > 0 ? 1 : 0
        case .tanh: return 1 - y * y
        case .square: return 2 * x
        }
    }
}

extension Tensor {
    /// Applies a unary primitive element-wise.
    public func unary(_ op: UnaryOp) -> Tensor {
        let out = Tensor(zeros: shape, zeroed: false)
        let s = data, d = out.data
        switch op {  // switch outside the loop so each loop is specialised
        case .neg: Parallel.forEachChunk(count) { r in for i in r { d[i] = UnaryOp.neg.forward(s[i]) } }
        case .exp: Parallel.forEachChunk(count) { r in for i in r { d[i] = VectorMath.exp(s[i]) } }
        case .log: Parallel.forEachChunk(count) { r in for i in r { d[i] = UnaryOp.log.forward(s[i]) } }
        case .sqrt: Parallel.forEachChunk(count) { r in for i in r { d[i] = UnaryOp.sqrt.forward(s[i]) } }
        case .abs: Parallel.forEachChunk(count) { r in for i in r { d[i] = UnaryOp.abs.forward(s[i]) } }
        case .sigmoid: Parallel.forEachChunk(count) { r in for i in r { d[i] = VectorMath.sigmoid(s[i]) } }
        case .swish: Parallel.forEachChunk(count) { r in for i in r { d[i] = VectorMath.swish(s[i]) } }
        case .relu: Parallel.forEachChunk(count) { r in for i in r { d[i] = UnaryOp.relu.forward(s[i]) } }
        case .tanh: Parallel.forEachChunk(count) { r in for i in r { d[i] = UnaryOp.tanh.forward(s[i]) } }
        case .square: Parallel.forEachChunk(count) { r in for i in r { d[i] = UnaryOp.square.forward(s[i]) } }
        }
        return Tensor.record(out, op: op.rawValue, inputs: [self]) { [self] g in
            let gi = Tensor(zeros: self.shape, zeroed: false)
            let x = self.data, y = out.data, gp = g.data, gd = gi.data
            if op == .swish {
                Parallel.forEachChunk(self.count) { r in for i in r { gd[i] = gp[i] * VectorMath.swishDerivative(x[i]) } }
                return [gi]
            }
            Parallel.forEachChunk(self.count) { r in for i in r { gd[i] = gp[i] * op.derivative(x[i], y[i]) } }
            return [gi]
        }
    }

    /// `x ^ p` for a constant exponent `p`.
    public func pow(_ p: Float) -> Tensor {
        let out = map { Foundation.pow($0, p) }
        return Tensor.record(out, op: "pow", inputs: [self]) { [self] g in
            let gi = Tensor(zeros: self.shape, zeroed: false)
            let x = self.data, gp = g.data, gd = gi.data
            Parallel.forEachChunk(self.count) { r in for i in r { gd[i] = gp[i] * p * Foundation.pow(x[i], p - 1) } }
            return [gi]
        }
    }

    /// `x * s + t` for constants (covers scalar add, sub, mul and div without allocating operands).
    public func affine(scale s: Float, shift t: Float = 0) -> Tensor {
        let out = map { $0 * s + t }
        return Tensor.record(out, op: "affine", inputs: [self]) { g in [g.map { $0 * s }] }
    }
}

import Foundation

/// Broadcasting binary primitives: add, sub, mul, div (forward and backward side by side).
public enum BinaryOp: String, CaseIterable, Sendable {
    case add, sub, mul, div

    @inline(__always) func apply(_ x: Float, _ y: Float) -> Float {
        switch self {
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        }
    }
}

extension Tensor {
    /// Element-wise `a op b` with NumPy broadcasting.
    public static func binary(_ a: Tensor, _ b: Tensor, _ op: BinaryOp) throws -> Tensor {
        let outShape = try resultShape(a, b, op: op.rawValue)
        let out = Tensor(zeros: outShape, zeroed: false)
        binaryKernel(a, b, out, op)
        return record(out, op: .binary(op), inputs: [a, b]) { g, out in
            switch op {
            case .add:
                return [a.requiresGrad ? g.sumTo(a.shape) : nil, b.requiresGrad ? g.sumTo(b.shape) : nil]
            case .sub:
                return [a.requiresGrad ? g.sumTo(a.shape) : nil, b.requiresGrad ? g.map { -$0 }.sumTo(b.shape) : nil]
            case .mul:
                return [
                    a.requiresGrad ? Tensor.product(g, b, .mul).sumTo(a.shape) : nil,
                    b.requiresGrad ? Tensor.product(g, a, .mul).sumTo(b.shape) : nil
                ]
            case .div:
                let ga = a.requiresGrad ? Tensor.product(g, b, .div).sumTo(a.shape) : nil
                var gb: Tensor? = nil
                if b.requiresGrad {
                    // d(a/b)/db = -a / b²  =  -(a/b) / b  = -out / b
                    let t = Tensor.product(g, out, .mul)
                    gb = Tensor.product(t, b, .div).map { -$0 }.sumTo(b.shape)
                }
                return [ga, gb]
            }
        }
    }

    /// The broadcast result shape of `a op b`; when broadcasting makes it larger than both operands, the
    /// memory guard checks it before anything is allocated.
    static func resultShape(_ a: Tensor, _ b: Tensor, op: String) throws -> [Int] {
        if a.shape == b.shape { return a.shape }
        let s = try Broadcast.shape(a.shape, b.shape, op: op)
        if s != a.shape && s != b.shape { _ = try checkedCount(s, op: op) }
        return s
    }

    /// Unrecorded broadcast `a op b` for use inside backward functions (shapes already valid).
    static func product(_ a: Tensor, _ b: Tensor, _ op: BinaryOp) -> Tensor {
        let outShape = a.shape == b.shape ? a.shape : ((try? Broadcast.shape(a.shape, b.shape, op: op.rawValue)) ?? a.shape)
        let out = Tensor(zeros: outShape, zeroed: false)
        binaryKernel(a, b, out, op)
        return out
    }

    @inline(__always)
    static func binaryKernel(_ a: Tensor, _ b: Tensor, _ out: Tensor, _ op: BinaryOp) {
        let pa = a.data, pb = b.data
        switch op {
        case .add:
            broadcastLoop(a, b, out) {
                pa[$1] + pb[$2]
            } contiguous: { i in
                pa[i] + pb[i]
            } scalarB: { i, y in
                pa[i] + y
            }
        case .sub:
            broadcastLoop(a, b, out) {
                pa[$1] - pb[$2]
            } contiguous: { i in
                pa[i] - pb[i]
            } scalarB: { i, y in
                pa[i] - y
            }
        case .mul:
            broadcastLoop(a, b, out) {
                pa[$1] * pb[$2]
            } contiguous: { i in
                pa[i] * pb[i]
            } scalarB: { i, y in
                pa[i] * y
            }
        case .div:
            broadcastLoop(a, b, out) {
                pa[$1] / pb[$2]
            } contiguous: { i in
                pa[i] / pb[i]
            } scalarB: { i, y in
                pa[i] / y
            }
        }
    }

    /// Runs `f(outIndex, aIndex, bIndex)` over the broadcast result, with fast paths for equal
    /// shapes and a scalar right operand.
    @inline(__always)
    static func broadcastLoop(
        _ a: Tensor, _ b: Tensor, _ out: Tensor,
        _ f: (Int, Int, Int) -> Float,
        contiguous: (Int) -> Float, scalarB: (Int, Float) -> Float
    ) {
        let po = out.data
        if a.shape == b.shape {
            Parallel.forEachChunk(out.count) { r in for i in r { po[i] = contiguous(i) } }
            return
        }
        if b.count == 1 && a.count == out.count {
            let y = b.data[0]
            Parallel.forEachChunk(out.count) { r in for i in r { po[i] = scalarB(i, y) } }
            return
        }
        let sa = Broadcast.strides(a.shape, in: out.shape)
        let sb = Broadcast.strides(b.shape, in: out.shape)
        let inner = out.shape.last ?? 1
        let ia = sa.last ?? 0, ib = sb.last ?? 0
        Broadcast.forEachRow(outShape: out.shape, aStrides: sa, bStrides: sb) { o, ao, bo in
            for j in 0..<inner { po[o + j] = f(o + j, ao + j * ia, bo + j * ib) }
        }
    }

    /// Reduces a broadcast gradient back to `target` by summing over broadcast dimensions.
    func sumTo(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        var t = self
        let lead = shape.count - target.count
        for i in 0..<shape.count {
            let want = i < lead ? 1 : target[i - lead]
            if want == 1 && shape[i] != 1 { t = t.reduceSum(dim: i) }
        }
        return Tensor(shape: target, storage: t.storage, offset: t.offset)
    }

    /// Unrecorded element-wise map.
    @inline(__always)
    func map(_ f: (Float) -> Float) -> Tensor {
        let out = Tensor(zeros: shape, zeroed: false)
        let s = data, d = out.data
        Parallel.forEachChunk(count) { r in for i in r { d[i] = f(s[i]) } }
        return out
    }

    /// Unrecorded broadcast of this tensor to `target` (a copy).
    func broadcastCopy(to target: [Int]) -> Tensor {
        if shape == target { return self }
        return gather(outShape: target, sourceStrides: Broadcast.strides(shape, in: target))
    }

    /// Unrecorded strided copy: element `i` of the result (row-major in `outShape`) reads this
    /// tensor at the offset given by `sourceStrides`. Serves broadcasting and permutation.
    func gather(outShape: [Int], sourceStrides src: [Int]) -> Tensor {
        let out = Tensor(zeros: outShape, zeroed: false)
        if out.count == 0 { return out }
        let inner = outShape.last ?? 1
        let si = src.last ?? 0
        let p = data, o = out.data
        // Rows that repeat one value (a reduced dimension broadcast back, as a sum's or mean's backward does)
        // or copy a contiguous row are fills and copies; the strided loop would not vectorise.
        Broadcast.forEachRow(outShape: outShape, aStrides: src, bStrides: src) { oo, ao, _ in
            if si == 0 {
                (o + oo).update(repeating: p[ao], count: inner)
            } else if si == 1 {
                (o + oo).update(from: p + ao, count: inner)
            } else {
                for j in 0..<inner { o[oo + j] = p[ao + j * si] }
            }
        }
        return out
    }
}

/// Element-wise comparisons (NumPy's `a < b` on arrays).
public enum Comparison: String, Sendable {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="

    func holds(_ x: Float, _ y: Float) -> Bool {
        switch self {
        case .eq: return x == y
        case .ne: return x != y
        case .lt: return x < y
        case .le: return x <= y
        case .gt: return x > y
        case .ge: return x >= y
        }
    }
}

extension Tensor {
    /// `self op o` element-wise with broadcasting: 1 where it holds, 0 elsewhere (outside autograd,
    /// like PyTorch's boolean results; NaN compares unequal to everything).
    public func compare(_ o: Tensor, _ c: Comparison) throws -> Tensor {
        let out = Tensor(zeros: try Tensor.resultShape(self, o, op: c.rawValue), zeroed: false)
        let pa = data, pb = o.data
        Tensor.broadcastLoop(self, o, out) {
            c.holds(pa[$1], pb[$2]) ? 1 : 0
        } contiguous: { i in
            c.holds(pa[i], pb[i]) ? 1 : 0
        } scalarB: { i, y in
            c.holds(pa[i], y) ? 1 : 0
        }
        return out
    }
}

/// 1-D convolution and max pooling over `(N, C, L)` tensors.
extension Tensor {
    /// SAME padding as ECGFounder computes it: output length `ceil(L / stride)`, total padding
    /// `max(0, (out - 1) * stride + k - L)`, half (rounded down) on the left.
    public static func samePadding(length: Int, kernel: Int, stride: Int) -> (left: Int, right: Int) {
        let out = (length + stride - 1) / stride
        let p = Swift.max(0, (out - 1) * stride + kernel - length)
        return (p / 2, p - p / 2)
    }

    /// Conv1d: input `(N, Cin, L)`, weight `(Cout, Cin / groups, K)`, optional bias `(Cout)`;
    /// output `(N, Cout, (L + pads - K) / stride + 1)`. Zero padding `padLeft` / `padRight`.
    /// `swish: true` returns `swish(conv1d(…))` computed in the same pass (the same values as calling
    /// `.swish()` on the result, without another trip through memory). `inputSwish: true` convolves
    /// `swish(x)` instead of `x`, values and gradients exactly those of `conv1d(x.swish(), …)`: a 1×1
    /// convolution over a short signal applies it while laying out the batch (no Swish tensor is written
    /// or kept); other geometries compute it into a buffer first.
    public static func conv1d(
        _ x: Tensor, weight w: Tensor, bias: Tensor?, stride: Int = 1,
        padLeft: Int = 0, padRight: Int = 0, groups: Int = 1, swish: Bool = false, inputSwish: Bool = false
    ) throws -> Tensor {
        guard x.rank == 3 else { throw EngineError("conv1d", "input must be (N, C, L); got shape \(shapeString(x.shape))") }
        guard w.rank == 3 else { throw EngineError("conv1d", "weight must be (out, in / groups, k); got shape \(shapeString(w.shape))") }
        let (n, cin, l) = (x.shape[0], x.shape[1], x.shape[2])
        let (cout, cg, k) = (w.shape[0], w.shape[1], w.shape[2])
        guard groups >= 1, cin % groups == 0, cout % groups == 0 else {
            throw EngineError("conv1d", "groups = \(groups) must divide input channels \(cin) and output channels \(cout)")
        }
        guard cg == cin / groups else {
            throw EngineError(
                "conv1d",
                "weight \(shapeString(w.shape)) expects \(cg * groups) input channels for groups = \(groups), but input "
                    + "\(shapeString(x.shape)) has \(cin)"
            )
        }
        guard stride >= 1, padLeft >= 0, padRight >= 0, k >= 1 else {
            throw EngineError("conv1d", "stride (\(stride)) and kernel (\(k)) must be positive and padding non-negative")
        }
        if let b = bias, b.shape != [cout] {
            throw EngineError("conv1d", "bias of shape \(shapeString(b.shape)) does not match \(cout) output channels")
        }
        let lp = l + padLeft + padRight
        guard lp >= k else {
            throw EngineError("conv1d", "padded input length \(lp) is shorter than the kernel size \(k)")
        }
        let geo = ConvGeometry(n: n, cin: cin, l: l, cout: cout, k: k, stride: stride, padLeft: padLeft, padRight: padRight, groups: groups)
        let lout = geo.lout
        let inputs = bias.map { [x, w, $0] } ?? [x, w]
        let out = Tensor(zeros: [n, cout, lout], zeroed: false)
        // With Swish and a backward pass to come, the pre-activation gets its own buffer (the backward
        // pass needs it); otherwise (inference) Swish is applied in place and no second buffer is written.
        let pre = swish && willRecord(inputs) ? Tensor(zeros: [n, cout, lout], zeroed: false) : nil
        // The activated input, where the geometry cannot apply Swish itself on the way in.
        let fusesInput = inputSwish && geo.batchesSamples
        let activatedInput = inputSwish && !fusesInput ? Tensor(zeros: x.shape, zeroed: false) : nil
        if let activatedInput { SwishKernels.swishParallel(x.data, into: activatedInput.data, count: x.count) }
        let input = activatedInput ?? x
        // The batched 1×1 product's channel-major input, kept for the weight gradient so that the backward pass
        // does not lay it out (and apply the input's Swish) again. With `inputSwish` it takes the place of the
        // tensor a separate `.swish()` would keep; otherwise it is a second copy of the input (L < 512 only).
        let laidOut = geo.batchesSamples && willRecord(inputs) ? Tensor(zeros: [cin, n * l], zeroed: false) : nil
        geo.forward(
            x: input.data, w: w.data, bias: bias?.data, out: (pre ?? out).data, activated: swish ? out.data : nil,
            inputSwish: fusesInput, laidOut: laidOut?.data)
        return record(out, op: swish ? .conv1dSwish : .conv1d, inputs: inputs) { g, _ in
            var gOut = g
            if let pre { // through the Swish first
                gOut = Tensor(zeros: g.shape, zeroed: false)
                SwishKernels.gradient(g.data, at: pre.data, into: gOut.data, count: g.count)
            }
            // The kernels write every input-gradient value: no zeroing needed.
            let gx = x.requiresGrad ? Tensor(zeros: x.shape, zeroed: false) : nil
            let gw = w.requiresGrad ? Tensor(zeros: w.shape, zeroed: !geo.writesWeightGradient) : nil
            let gb = (bias?.requiresGrad ?? false) ? Tensor(zeros: [cout]) : nil
            geo.backward(x: input.data, w: w.data, gOut: gOut.data, gx: gx?.data, gw: gw?.data, gb: gb?.data, laidOut: laidOut?.data)
            if inputSwish, let gx { SwishKernels.gradient(gx.data, at: x.data, into: gx.data, count: gx.count) } // the input's Swish
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }

    /// MaxPool1d with `kernel`, `stride` and constant padding (`padValue`, default 0 as ECGFounder pads).
    public static func maxPool1d(
        _ x: Tensor, kernel: Int, stride: Int, padLeft: Int = 0, padRight: Int = 0,
        padValue: Float = 0
    ) throws -> Tensor {
        guard x.rank == 3 else { throw EngineError("maxpool1d", "input must be (N, C, L); got shape \(shapeString(x.shape))") }
        guard kernel >= 1, stride >= 1, padLeft >= 0, padRight >= 0 else {
            throw EngineError("maxpool1d", "kernel (\(kernel)) and stride (\(stride)) must be positive and padding non-negative")
        }
        let (n, c, l) = (x.shape[0], x.shape[1], x.shape[2])
        let lp = l + padLeft + padRight
        guard lp >= kernel else { throw EngineError("maxpool1d", "padded length \(lp) is shorter than the kernel \(kernel)") }
        let lout = (lp - kernel) / stride + 1
        let out = Tensor(zeros: [n, c, lout], zeroed: false)
        // The argmax is only kept when a backward pass can need it.
        let needIndex = willRecord([x])
        let arg = UnsafeMutablePointer<Int32>.allocate(capacity: needIndex ? Swift.max(1, n * c * lout) : 1)
        let p = x.data, o = out.data
        Parallel.forEachChunk(n * c, grain: Swift.max(1, 8192 / Swift.max(lout, 1))) { r in
            for row in r {
                let src = p + row * l, dst = o + row * lout, idx = arg + (needIndex ? row * lout : 0)
                // Windows of two values wholly inside the signal run branch-free (`PoolKernels`);
                // every other window takes the general path.
                var (fastLo, fastHi) = (0, 0)
                if kernel == 2 && l >= 2 {
                    fastLo = Swift.min(lout, (padLeft + stride - 1) / stride)
                    fastHi = Swift.max(fastLo, Swift.min(lout, (l - 2 + padLeft) / stride + 1))
                    PoolKernels.maxOfPairs(
                        src, offset: -padLeft, stride: stride, fastLo..<fastHi, into: dst, index: needIndex ? idx : nil)
                }
                for t in 0..<lout where t < fastLo || t >= fastHi {
                    let start = t * stride - padLeft
                    // The first value of the window (a padding value counts as index −1); NaN wins.
                    var best: Float, bi: Int32
                    if start >= 0 && start < l { best = src[start]; bi = Int32(start) } else { best = padValue; bi = -1 }
                    for j in 1..<kernel {
                        let i = start + j
                        let inside = i >= 0 && i < l
                        let v = inside ? src[i] : padValue
                        if PoolKernels.replaces(v, best) { best = v; bi = inside ? Int32(i) : -1 }
                    }
                    dst[t] = best
                    if needIndex { idx[t] = bi }
                }
            }
        }
        let owner = IndexBuffer(arg)
        return record(out, op: .maxPool1d, inputs: [x]) { g, _ in
            let gi = Tensor(zeros: x.shape)
            let gp = g.data, gd = gi.data, a = owner.pointer
            Parallel.forEachChunk(n * c, grain: Swift.max(1, 8192 / Swift.max(lout, 1))) { rows in
                for row in rows {
                    for t in 0..<lout where a[row * lout + t] >= 0 {
                        gd[row * l + Int(a[row * lout + t])] += gp[row * lout + t]
                    }
                }
            }
            return [gi]
        }
    }
}

/// Owns an index buffer captured by a backward closure.
final class IndexBuffer {
    let pointer: UnsafeMutablePointer<Int32>
    init(_ p: UnsafeMutablePointer<Int32>) { pointer = p }
    deinit { pointer.deallocate() }
}

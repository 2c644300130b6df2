extension Tensor {
    /// Reverse-mode differentiation from this tensor. A scalar output gets gradient 1; any other
    /// shape needs `gradient` of the same shape. Leaf tensors with `requiresGrad` accumulate into
    /// `grad` (as PyTorch does); the graph is released afterwards.
    public func backward(_ gradient: Tensor? = nil) throws {
        guard requiresGrad else {
            throw EngineError("backward", "tensor does not require grad and has no grad_fn")
        }
        let seed: Tensor
        if let g = gradient {
            guard g.shape == shape else {
                throw EngineError("backward", "gradient shape \(shapeString(g.shape)) does not match output shape \(shapeString(shape))")
            }
            seed = g
        } else {
            guard count == 1 else {
                throw EngineError("backward", "grad can be implicitly created only for scalar outputs (shape \(shapeString(shape)))")
            }
            seed = Tensor(zeros: shape).filled(1)
        }

        // Topological order of the nodes reachable from self (iterative DFS: graphs can be deep).
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded { order.append(t); continue }
            let id = ObjectIdentifier(t)
            if visited.contains(id) { continue }
            visited.insert(id)
            stack.append((t, true))
            if let node = t.gradFn {
                for input in node.inputs where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                    stack.append((input, false))
                }
            }
        }

        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        for t in order.reversed() {
            let id = ObjectIdentifier(t)
            guard var g = grads.removeValue(forKey: id) else { continue }
            guard let node = t.gradFn else {
                // Leaf gradients own their storage: backward functions may return shared buffers, which
                // are copied; a gradient nothing else refers to is kept as it is.
                if let existing = t.grad { existing.addInPlace(g) } else { t.grad = Tensor.isPrivate(&g) ? g : g.clone() }
                continue
            }
            var inputGrads = GradMode.withoutGrad { OpProfile.backward(node.op, t, node.inputs) { node.backward(g, t) } }
            for (i, input) in node.inputs.enumerated() where i < inputGrads.count {
                // Moved out of the array, so that a gradient referred to only here is seen as private.
                guard input.requiresGrad, var ig = inputGrads[i] else { continue }
                inputGrads[i] = nil
                let iid = ObjectIdentifier(input)
                if var acc = grads.removeValue(forKey: iid) {
                    grads[iid] = Tensor.accumulate(&acc, &ig)
                } else {
                    grads[iid] = ig
                }
            }
            t.gradFn = nil
        }
    }

    /// Whether `t` is referred to only by the caller's variable and owns its memory alone.
    static func isPrivate(_ t: inout Tensor) -> Bool { isKnownUniquelyReferenced(&t) && t.hasUniqueStorage() }

    /// `a + b` for a tensor reached by two paths: added into whichever of the two is private (a tensor a
    /// backward function made for this gradient), else into a new tensor. The sum is the same either way.
    static func accumulate(_ a: inout Tensor, _ b: inout Tensor) -> Tensor {
        if isPrivate(&a) { a.addInPlace(b); return a }
        if isPrivate(&b) { b.addInPlace(a); return b }
        return a.adding(b)
    }

    func filled(_ v: Float) -> Tensor { fill(v); return self }

    /// In-place `self += other` (same shape), no autograd record.
    func addInPlace(_ other: Tensor) {
        precondition(other.count == count)
        let d = data, s = other.data
        Parallel.forEachChunk(count) { r in for i in r { d[i] += s[i] } }
    }

    /// `self + other` as a new tensor (same shape), no autograd record.
    func adding(_ other: Tensor) -> Tensor {
        precondition(other.count == count)
        let out = Tensor(zeros: shape, zeroed: false)
        let a = data, b = other.data, o = out.data
        Parallel.forEachChunk(count) { r in for i in r { o[i] = a[i] + b[i] } }
        return out
    }
}

/// The collectives of one data-parallel training step; each is the identity in a plain run.
enum DataParallel {
    /// Gradients are summed in buffers of this many floats (16 MiB): few calls, bounded extra memory.
    static let bucketFloats = 1 << 22

    /// True on every rank when `flag` is true on any: a stop request seen by one rank stops all at the same batch.
    static func anyRank(_ flag: Bool) throws -> Bool {
        guard let world = Distributed.world else { return flag }
        return try world.allreduceMax(flag ? 1 : 0) > 0
    }

    /// Sums the gradients of `params` over the ranks (each rank's loss already carries its share of the batch, so
    /// the sum is the whole batch's gradient) and returns the batch loss (the sum of the ranks' weighted losses).
    /// A parameter without a gradient on this rank counts as zeros.
    static func sumGradients(_ params: [Tensor], loss: Double) throws -> Double {
        guard let world = Distributed.world else { return loss }
        let grads = params.map { p -> Tensor in
            if let g = p.grad { return g }
            let z = Tensor(zeros: p.shape)
            p.grad = z
            return z
        }
        let bucket = UnsafeMutablePointer<Float>.allocate(capacity: bucketFloats)
        defer { bucket.deallocate() }
        var pending: [Tensor] = [], filled = 0
        func flush() throws {
            guard filled > 0 else { return }
            try world.allreduceSum(bucket, count: filled)
            var at = 0
            for g in pending {
                g.data.update(from: bucket + at, count: g.count)
                at += g.count
            }
            pending.removeAll()
            filled = 0
        }
        for g in grads {
            if g.count >= bucketFloats {
                try world.allreduceSum(g.data, count: g.count)
                continue
            }
            if filled + g.count > bucketFloats { try flush() }
            (bucket + filled).update(from: g.data, count: g.count)
            pending.append(g)
            filled += g.count
        }
        try flush()
        var total = [loss]
        try world.allreduceSum(&total)
        return total[0]
    }
}

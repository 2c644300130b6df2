/// Constructors matching NumPy / PyTorch names: zeros, ones, full, randn, rand, arange, linspace.
extension Tensor {
    public static func zeros(_ shape: [Int]) throws -> Tensor {
        _ = try checkedCount(shape, op: "zeros")
        return Tensor(zeros: shape)
    }

    public static func ones(_ shape: [Int]) throws -> Tensor { try full(shape, 1) }

    public static func full(_ shape: [Int], _ value: Float) throws -> Tensor {
        _ = try checkedCount(shape, op: "full")
        let t = Tensor(zeros: shape, zeroed: false)
        t.fill(value)
        return t
    }

    /// Standard-normal samples from a seeded generator.
    public static func randn(_ shape: [Int], rng: inout SeededRandom) throws -> Tensor {
        let n = try checkedCount(shape, op: "randn")
        let t = Tensor(zeros: shape, zeroed: false)
        try inChunks(n, op: "randn") { for i in $0 { t.data[i] = Float(rng.normal()) } }
        return t
    }

    /// Uniform samples in `[low, high)` from a seeded generator.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, rng: inout SeededRandom) throws -> Tensor {
        let n = try checkedCount(shape, op: "rand")
        let t = Tensor(zeros: shape, zeroed: false)
        try inChunks(n, op: "rand") { for i in $0 { t.data[i] = low + (high - low) * Float(rng.uniform()) } }
        return t
    }

    /// Runs `body` over `0..<n` in chunks of 2^20, stopping between chunks on a stop request (a seeded
    /// generator is sequential, so a large randn takes seconds).
    static func inChunks(_ n: Int, op: String, _ body: (Range<Int>) -> Void) throws {
        var start = 0
        while start < n {
            try Cancellation.check(op)
            let end = Swift.min(n, start + (1 << 20))
            body(start..<end)
            start = end
        }
    }

    /// `0, 1, …, n-1` (or `start..<end` by `step`).
    public static func arange(_ start: Double, _ end: Double, step: Double = 1) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw EngineError("arange", "step must be finite and non-zero (got \(step))")
        }
        let length = ((end - start) / step).rounded(.up)
        // 2^53: beyond it Int(length) may trap and no memory holds the values anyway.
        guard length.isFinite, length <= 9_007_199_254_740_992 else {
            throw EngineError("arange", "\(start) to \(end) by \(step) has \(length) values, more than can be addressed")
        }
        let n = Swift.max(0, Int(length))
        _ = try checkedCount([n], op: "arange")
        let t = Tensor(zeros: [n], zeroed: false)
        for i in 0..<n { t.data[i] = Float(start + Double(i) * step) }
        return t
    }

    /// `n` evenly spaced values from `a` to `b` inclusive.
    public static func linspace(_ a: Double, _ b: Double, count n: Int) throws -> Tensor {
        guard n >= 0 else { throw EngineError("linspace", "number of points must be non-negative (got \(n))") }
        _ = try checkedCount([n], op: "linspace")
        let t = Tensor(zeros: [n], zeroed: false)
        for i in 0..<n { t.data[i] = Float(n == 1 ? a : a + (b - a) * Double(i) / Double(n - 1)) }
        return t
    }
}

/// NumPy broadcasting rules and a strided loop over a broadcast result.
enum Broadcast {
    /// The broadcast shape of `a` and `b`, or an error naming the op and both shapes.
    static func shape(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw EngineError(op, "shapes \(shapeString(a)) and \(shapeString(b)) cannot be broadcast (dimension \(i): \(da) ≠ \(db))")
            }
        }
        return out
    }

    /// Strides of a contiguous tensor of `shape` seen through `outShape` (0 where broadcast).
    static func strides(_ shape: [Int], in outShape: [Int]) -> [Int] {
        let own = Tensor.strides(of: shape)
        let lead = outShape.count - shape.count
        return (0..<outShape.count).map { i in
            i < lead ? 0 : (shape[i - lead] == 1 && outShape[i] != 1 ? 0 : own[i - lead])
        }
    }

    /// Visits every row (last dimension) of the broadcast result: `row(outOffset, aOffset, bOffset)`,
    /// with the row length and the inner strides of `a` and `b` passed once.
    static func forEachRow(
        outShape: [Int], aStrides: [Int], bStrides: [Int],
        _ row: (_ o: Int, _ a: Int, _ b: Int) -> Void
    ) {
        let rank = outShape.count
        if rank <= 1 { row(0, 0, 0); return }
        let rows = outShape.dropLast().reduce(1, *)
        if rows == 0 { return }
        let inner = outShape[rank - 1]
        var idx = [Int](repeating: 0, count: rank - 1)
        var ao = 0, bo = 0
        for r in 0..<rows {
            row(r * inner, ao, bo)
            var d = rank - 2
            while d >= 0 {
                idx[d] += 1
                ao += aStrides[d]
                bo += bStrides[d]
                if idx[d] < outShape[d] { break }
                ao -= aStrides[d] * outShape[d]
                bo -= bStrides[d] * outShape[d]
                idx[d] = 0
                d -= 1
            }
        }
    }
}

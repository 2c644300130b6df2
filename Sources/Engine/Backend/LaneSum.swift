/// A sum of rows of floats (or of products of two rows) in 16 lanes (value `j` of a row goes to lane `j mod 16`
/// while whole vectors fit, the rest to a scalar tail), then the lanes and the tail: a fixed order, so the result
/// does not depend on how the work is split across workers. A single running sum was bound by the latency of
/// each addition (13 ms of an ECGFounder training step in the bias gradient).
struct LaneSum {
    private var lanes = SIMD16<Float>()
    private var tail: Float = 0

    /// Adds `count` values from `row`.
    @inline(__always)
    mutating func add(_ row: UnsafePointer<Float>, count: Int) {
        var t = 0
        while t + 16 <= count {
            lanes += UnsafeRawPointer(row + t).loadUnaligned(as: SIMD16<Float>.self)
            t += 16
        }
        while t < count { tail += row[t]; t += 1 }
    }

    /// Adds the `count` products `a[j] · b[j]` (a dot product, in the same lanes as `add`).
    @inline(__always)
    mutating func addProducts(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        var t = 0
        while t + 16 <= count {
            let x = UnsafeRawPointer(a + t).loadUnaligned(as: SIMD16<Float>.self)
            lanes += x * UnsafeRawPointer(b + t).loadUnaligned(as: SIMD16<Float>.self)
            t += 16
        }
        while t < count { tail += a[t] * b[t]; t += 1 }
    }

    var total: Float { lanes.sum() + tail }
}

/// Running median with zero padding at the ends, as `scipy.signal.medfilt(x, kernel_size)`.
public enum MedianFilter {
    public static func apply(_ x: [Double], kernel: Int) throws -> [Double] {
        guard kernel >= 1, kernel % 2 == 1 else { throw EngineError("medfilt", "kernel size must be a positive odd number, got \(kernel)") }
        let half = kernel / 2, n = x.count
        if n == 0 { return [] }
        func at(_ i: Int) -> Double { i >= 0 && i < n ? x[i] : 0 }
        // Sorted window maintained by binary insertion/removal: O(n · k) moves, no allocation per step.
        var window = (-half...half).map(at).sorted()
        var out = [Double](repeating: 0, count: n)
        func lowerBound(_ v: Double) -> Int {
            var lo = 0, hi = window.count
            while lo < hi { let mid = (lo + hi) / 2; if window[mid] < v { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        for i in 0..<n {
            out[i] = window[half]
            if i + 1 < n {
                let leaving = at(i - half), entering = at(i + half + 1)
                window.remove(at: lowerBound(leaving))
                window.insert(entering, at: lowerBound(entering))
            }
        }
        return out
    }
}

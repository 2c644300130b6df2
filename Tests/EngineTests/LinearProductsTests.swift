import Testing
@testable import Engine

/// A Linear layer's three products (forward, input and weight gradient) against a plain double-precision loop, over
/// sizes that leave every kind of remainder in the loops for at most 16 rows (rows past a pass of 8, an odd last
/// weight row or column vector, columns past the last whole vector, a single row or column) and past 16 rows (BLAS).
@Suite struct LinearProductsTests {
    static let sizes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (8, 2, 16), (3, 5, 17), (8, 33, 40), (9, 7, 64), (16, 12, 100), (5, 1, 33), (2, 64, 1), (16, 3, 48), (17, 9, 20),
        (40, 33, 65)
    ]

    static func random(_ count: Int, _ rng: inout SeededRandom) -> [Float] { (0..<count).map { _ in Float(rng.normal()) } }

    static func close(_ got: [Float], _ want: [Double], _ what: String) {
        let worst = zip(got, want).map { abs(Double($0) - $1) / (1 + abs($1)) }.max() ?? 0
        #expect(got.count == want.count && worst < 1e-5, "\(what): worst relative difference \(worst)")
    }

    @Test(arguments: [false, true]) func timesTransposedIsXTimesWTransposed(accumulate: Bool) {
        var rng = SeededRandom(seed: 3)
        for (m, n, k) in Self.sizes {
            let x = Self.random(m * k, &rng), w = Self.random(n * k, &rng), start = Self.random(m * n, &rng)
            var out = start
            LinearProducts.timesTransposed(m: m, n: n, k: k, x: x, w: w, out: &out, accumulate: accumulate)
            let want = (0..<(m * n)).map { i in
                (accumulate ? Double(start[i]) : 0) + (0..<k).reduce(0.0) { $0 + Double(x[i / n * k + $1]) * Double(w[i % n * k + $1]) }
            }
            Self.close(out, want, "x·wᵀ m\(m) n\(n) k\(k)")
        }
    }

    @Test func timesIsGTimesW() {
        var rng = SeededRandom(seed: 4)
        for (m, n, k) in Self.sizes {
            let g = Self.random(m * n, &rng), w = Self.random(n * k, &rng)
            var out = [Float](repeating: .nan, count: m * k) // every value must be written
            LinearProducts.times(m: m, n: n, k: k, g: g, w: w, out: &out)
            let want = (0..<(m * k)).map { i in (0..<n).reduce(0.0) { $0 + Double(g[i / k * n + $1]) * Double(w[$1 * k + i % k]) } }
            Self.close(out, want, "g·w m\(m) n\(n) k\(k)")
        }
    }

    @Test func transposedTimesIsGTransposedTimesX() {
        var rng = SeededRandom(seed: 5)
        for (m, n, k) in Self.sizes {
            let g = Self.random(m * n, &rng), x = Self.random(m * k, &rng)
            var out = [Float](repeating: .nan, count: n * k)
            LinearProducts.transposedTimes(m: m, n: n, k: k, g: g, x: x, out: &out)
            let want = (0..<(n * k)).map { i in (0..<m).reduce(0.0) { $0 + Double(g[$1 * n + i / k]) * Double(x[$1 * k + i % k]) } }
            Self.close(out, want, "gᵀ·x m\(m) n\(n) k\(k)")
        }
    }
}

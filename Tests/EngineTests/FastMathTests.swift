import Foundation
import Testing
@testable import Engine

@Suite struct FastMathTests {
    /// The polynomial exp against libm over the whole float range used by Swish/sigmoid, with specials.
    @Test func expMatchesLibm() {
        var worst: Double = 0
        var x: Float = -87
        while x < 88 {
            let ref = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(FastMath.exp(x)) - ref) / ref)
            x += 0.0137
        }
        #expect(worst < 5e-7)
        #expect(FastMath.exp(.nan).isNaN)
        #expect(FastMath.exp(-1000) < 1e-37)
        #expect(FastMath.swish(-1000) == 0)
        #expect(FastMath.sigmoid(1000) == 1)
    }

    /// The 16-lane `exp`, `swish` and `swishDerivative` give the scalar versions' results bit for bit, specials included (the fused
    /// convolution epilogues use them, the `.swish()` primitive the scalar ones; tests compare the two exactly).
    @Test func sixteenLanesEqualScalarBitForBit() {
        var values: [Float] = [
            .nan, -.nan, .infinity, -.infinity, 0, -0, 1e-40, -1e-40, .leastNormalMagnitude, -87.3, -87.4, 88.7, 88.8,
            -1000, 1000, 1, -1, 0.5, -0.5, 20, -20, 87.3, -88.7, .greatestFiniteMagnitude, -.greatestFiniteMagnitude
        ]
        var rng = SeededRandom(seed: 5)
        for _ in 0..<4000 { values.append(Float((rng.uniform() - 0.5) * 200)) }
        while values.count % 16 != 0 { values.append(3) }
        for start in stride(from: 0, to: values.count, by: 16) {
            let v = SIMD16<Float>(values[start..<(start + 16)])
            let (e, w, d) = (FastMath.exp(v), FastMath.swish(v), FastMath.swishDerivative(v))
            for i in 0..<16 {
                let x = v[i]
                #expect(e[i].bitPattern == FastMath.exp(x).bitPattern || (e[i].isNaN && FastMath.exp(x).isNaN), "exp(\(x))")
                #expect(w[i].bitPattern == FastMath.swish(x).bitPattern || (w[i].isNaN && FastMath.swish(x).isNaN), "swish(\(x))")
                let dx = FastMath.swishDerivative(x)
                #expect(d[i].bitPattern == dx.bitPattern || (d[i].isNaN && dx.isNaN), "swish'(\(x))")
            }
        }
    }

    /// Odd lengths exercise the vectorised loop's remainder.
    @Test func swishTensorOfOddLengthMatchesScalarFormula() {
        let x = Tensor((0..<37).map { Float($0) * 0.5 - 9 }, shape: [37])
        let y = x.swish()
        for i in 0..<37 {
            let v = x.data[i]
            #expect(abs(y.data[i] - v / (1 + Foundation.exp(-v))) <= 1e-6 * max(1, abs(v)))
        }
    }
}

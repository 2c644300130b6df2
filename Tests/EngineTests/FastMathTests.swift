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

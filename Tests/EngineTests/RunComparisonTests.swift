import Foundation
import Testing
@testable import Engine

/// What moved out of the built-ins into the engine: `compare`'s statistics, `ablate`'s variants,
/// per-lead filtering, named convolution padding, the bar chart of a table.
@Suite struct RunComparisonTests {
    @Test func groupRowIsMeanSampleStdAndMeanBounds() throws {
        let row = try RunComparison.row(
            "seeds",
            [
                .init(auroc: 0.8, auprc: 0.5, aurocCI: (0.7, 0.9)),
                .init(auroc: 0.9, auprc: 0.7, aurocCI: (0.8, 1.0))
            ])
        let n = row.dropFirst().map { $0.number ?? .nan }
        #expect(row[0] == .text("seeds") && n[0] == 2)
        #expect(abs(n[1] - 0.85) < 1e-12 && abs(n[2] - 0.1 / 2.0.squareRoot()) < 1e-12) // numpy.std(ddof=1)
        #expect(abs(n[3] - 0.75) < 1e-12 && abs(n[4] - 0.95) < 1e-12)
        #expect(abs(n[5] - 0.6) < 1e-12 && n[7].isNaN && n[8].isNaN) // no AUPRC intervals: nan bounds
        let single = try RunComparison.row("one", [.init(auroc: 0.7, auprc: 0.4)])
        #expect(single[3] == .number(0))
        #expect(throws: EngineError.self) { try RunComparison.row("empty", []) }
    }

    @Test func ablationVariantsSwitchOffOneThingEach() {
        let v = Ablation.variants(post: .post, baseline: .baseline)
        #expect(v.map(\.name) == ["post", "post − preview LP", "post − stochastic depth", "post − both", "baseline"])
        #expect(v.map(\.settings.previewEnabled) == [true, false, true, false, false])
        #expect(v.map(\.settings.finetune.dropPath) == [0.1, 0.1, 0, 0, 0])
        #expect(v[4].settings.finetune.optimizer == .adam)
    }

    @Test func recordFilteringIsSosfiltfiltPerLead() throws {
        var rng = SeededRandom(seed: 3)
        let sig = try Tensor.randn([2, 300], rng: &rng)
        let r = ECGRecord(name: "r", rate: 100, leads: ["I", "II"], signal: sig)
        let f = try FilterDesign.butterworthSOS(order: 4, cutoff: [0.5, 30], type: .bandpass, rate: 100)
        let out = try r.filtered(f)
        for c in 0..<2 {
            let want = try LinearFilter.sosfiltfilt(f, (0..<300).map { Double(sig.data[c * 300 + $0]) })
            for i in 0..<300 { #expect(abs(Double(out.signal.data[c * 300 + i]) - want[i]) < 1e-5) }
        }
        let causal = try r.filtered(f, zeroPhase: false)
        #expect(abs(Double(causal.signal.data[10]) - LinearFilter.sosfilt(f, (0..<300).map { Double(sig.data[$0]) })[10]) < 1e-5)
    }

    @Test func namedPaddingMatchesSameArithmetic() {
        #expect(ConvPadding.same.amounts(length: 100, kernel: 16, stride: 2) == Tensor.samePadding(length: 100, kernel: 16, stride: 2))
        #expect(ConvPadding.same.amounts(length: 10, kernel: 3, stride: 1) == (1, 1))
        #expect(ConvPadding.valid.amounts(length: 10, kernel: 3, stride: 1) == (0, 0))
    }

    @Test func barOfATablePicksColumnsByNameOrFirstNumeric() throws {
        let t = try Table(
            columns: ["variant", "auroc", "lo", "hi"],
            rows: [
                [.text("a"), .number(0.8), .number(0.7), .number(0.9)],
                [.text("b"), .number(0.85), .number(0.8), .number(0.9)]
            ])
        let f = try Charts.bar(t, x: nil, y: nil, lo: "lo", hi: "hi", ylabel: nil)
        #expect(f.pixelWidth > 0)
        #expect(throws: EngineError.self) { try Charts.bar(t, x: nil, y: "auprc", lo: nil, hi: nil, ylabel: nil) }
    }

    @Test func stripLayoutShowsOneLead() throws {
        var g = SyntheticECG()
        g.seconds = 10
        let r = try g.dataset(count: 10, seed: 1).record(0)
        #expect(throws: EngineError.self) { try Charts.ecg(r, layout: .strip, leads: ["I", "II"]) }
        let f = try Charts.ecg(r, layout: .strip)
        let twelve = try Charts.ecg(r, layout: .twelveLead)
        #expect(f.height < twelve.height)
    }
}

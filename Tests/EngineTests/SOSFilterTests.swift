import Foundation
import Testing
@testable import Engine

/// Butterworth filters in second-order sections against SciPy (`butter(output="sos")` + `sosfiltfilt` /
/// `sosfilt`), on real records at 100, 250, 500 and 1000 Hz, low-, high- and band-pass, orders 1-12.
/// Reference: `scripts/make_sos_reference.py`.
@Suite struct SOSFilterTests {
    static let reference: [String: Tensor] =
        (try? SafeTensors.load(path: Fixtures.root.appendingPathComponent("signal/sos.safetensors").path).tensors) ?? [:]
    static let cases: [(String, Int, Int)] = ["lowpass", "highpass", "bandpass"].flatMap { t in
        [100, 250, 500, 1000].flatMap { fs in (1...12).map { (t, $0, fs) } }
    }

    static func cutoff(_ type: String, _ fs: Double) -> [Double] {
        switch type {
        case "lowpass": return [min(40, 0.4 * fs)]
        case "highpass": return [0.5]
        default: return [0.5, min(40, 0.4 * fs)]
        }
    }

    @Test func referenceHasEveryCase() { #expect(Self.reference.count == 4 + 3 * Self.cases.count) }

    @Test(arguments: cases)
    func equalsScipy(type: String, order: Int, rate: Int) throws {
        let key = "\(type).\(order).\(rate)"
        let x = try #require(Self.reference["x\(rate)"]).values.map(Double.init)
        let f = try FilterDesign.butterworthSOS(
            order: order, cutoff: Self.cutoff(type, Double(rate)),
            type: FilterDesign.BandType(rawValue: type)!, rate: Double(rate))
        #expect(f.sections.count == (type == "bandpass" ? order : (order + 1) / 2))
        for (name, y) in [("sosfiltfilt", try LinearFilter.sosfiltfilt(f, x)), ("sosfilt", LinearFilter.sosfilt(f, x))] {
            let ref = try #require(Self.reference["\(name).\(key)"]).values.map(Double.init)
            let scale = ref.map(abs).max() ?? 1
            let err = zip(y, ref).map { abs($0 - $1) }.max() ?? .infinity
            #expect(err / scale <= 1e-5, "\(name) \(key): relative error \(err / scale)")
            let finite = y.allSatisfy { $0.isFinite }
            #expect(finite)
        }
    }

    /// The transfer-function form goes wrong where sections do not (the reason for sections).
    @Test func highOrderTransferFunctionIsInaccurateButSectionsAreNot() throws {
        let x = try #require(Self.reference["x500"]).values.map(Double.init)
        let ref = try #require(Self.reference["sosfiltfilt.bandpass.8.500"]).values.map(Double.init)
        let sos = try FilterDesign.butterworthSOS(order: 8, cutoff: [0.5, 40], type: .bandpass, rate: 500)
        let ba = try FilterDesign.butterworth(order: 8, cutoff: [0.5, 40], type: .bandpass, rate: 500)
        let viaSOS = try LinearFilter.sosfiltfilt(sos, x), viaBA = try LinearFilter.filtfilt(ba, x)
        let scale = ref.map(abs).max()!
        #expect(zip(viaSOS, ref).map { abs($0 - $1) }.max()! / scale < 1e-5)
        #expect(!(zip(viaBA, ref).map { abs($0 - $1) }.max()! / scale < 1e-3))
    }

    @Test(arguments: [
        (0, [40.0], "lowpass", "order must be between 1 and 12, got 0"),
        (13, [40.0], "lowpass", "order must be between 1 and 12, got 13"),
        (4, [250.0], "lowpass", "cutoff 250.0 Hz must lie between 0 and the Nyquist frequency 250.0 Hz"),
        (4, [0.0], "highpass", "cutoff 0.0 Hz must lie between 0"),
        (4, [40.0, 0.5], "bandpass", "band edges [40.0, 0.5] must increase"),
        (4, [0.5], "bandpass", "a bandpass filter needs 2 cutoff frequencies, got 1")
    ])
    func impossibleDesignsNameTheSetting(order: Int, cutoff: [Double], type: String, message: String) {
        #expect {
            try FilterDesign.butterworthSOS(order: order, cutoff: cutoff, type: FilterDesign.BandType(rawValue: type)!, rate: 500)
        } throws: { ($0 as? EngineError)?.message.contains(message) == true }
    }

    @Test func shortSignalIsRefused() throws {
        let f = try FilterDesign.butterworthSOS(order: 12, cutoff: [0.5, 40], type: .bandpass, rate: 500)
        #expect { try LinearFilter.sosfiltfilt(f, Array(repeating: 0, count: 60)) } throws: {
            ($0 as? EngineError)?.message.contains("needs more than 75") == true
        }
    }
}

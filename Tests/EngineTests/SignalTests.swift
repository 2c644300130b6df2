import Foundation
import Testing
@testable import Engine

/// Filters, resampling and the preprocessing chain against SciPy (scripts/make_signal_reference.py).
@Suite struct SignalTests {
    static let ref: [String: Tensor] =
        (try? SafeTensors.load(path: Fixtures.root.appendingPathComponent("signal/scipy.safetensors").path).tensors) ?? [:]
    static let record = try? WFDB.read(Fixtures.wfdb("ptbxl500/00001_hr"))

    func lead(_ i: Int = 1) -> [Double] {
        guard let r = Self.record else { return [] }
        return (0..<r.sampleCount).map { Double(r.signal.data[i * r.sampleCount + $0]) }
    }

    func expectClose(_ ours: [Double], _ name: String, tol: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let t = Self.ref[name] else { Issue.record("missing reference \(name)", sourceLocation: sourceLocation); return }
        #expect(ours.count == t.count, "\(name) length", sourceLocation: sourceLocation)
        var diff = 0.0, scale = 1e-12
        for i in 0..<min(ours.count, t.count) {
            diff = max(diff, abs(ours[i] - Double(t.data[i]))); scale = max(scale, abs(Double(t.data[i])))
        }
        #expect(diff / scale <= tol, "\(name): relative error \(diff / scale)", sourceLocation: sourceLocation)
    }

    @Test func designMatchesSciPy() throws {
        let cases: [(String, () throws -> IIRFilter)] = [
            ("notch50_q30_500", { try FilterDesign.notch(frequency: 50, q: 30, rate: 500) }),
            ("notch60_q25_360", { try FilterDesign.notch(frequency: 60, q: 25, rate: 360) }),
            ("butter4_bp_0.67_40_500", { try FilterDesign.butterworth(order: 4, cutoff: [0.67, 40], type: .bandpass, rate: 500) }),
            ("butter2_bp_0.5_45_100", { try FilterDesign.butterworth(order: 2, cutoff: [0.5, 45], type: .bandpass, rate: 100) }),
            ("butter3_lp_30_250", { try FilterDesign.butterworth(order: 3, cutoff: [30], type: .lowpass, rate: 250) }),
            ("butter2_hp_0.5_500", { try FilterDesign.butterworth(order: 2, cutoff: [0.5], type: .highpass, rate: 500) }),
            ("butter2_bs_45_55_500", { try FilterDesign.butterworth(order: 2, cutoff: [45, 55], type: .bandstop, rate: 500) })
        ]
        for (name, design) in cases {
            let f = try design()
            expectClose(f.b, name + ".b", tol: 1e-6)
            expectClose(f.a, name + ".a", tol: 1e-6)
        }
    }

    @Test func filteringMatchesSciPy() throws {
        let x = lead()
        expectClose(try LinearFilter.filtfilt(try FilterDesign.notch(frequency: 50, q: 30, rate: 500), x), "filtfilt_notch50", tol: 1e-5)
        expectClose(
            try LinearFilter.filtfilt(try FilterDesign.butterworth(order: 4, cutoff: [0.67, 40], type: .bandpass, rate: 500), x),
            "filtfilt_butter4", tol: 1e-4)
        expectClose(
            try LinearFilter.filtfilt(try FilterDesign.butterworth(order: 2, cutoff: [0.5], type: .highpass, rate: 500), x), "filtfilt_hp",
            tol: 1e-5)
        expectClose(
            try LinearFilter.lfilter(try FilterDesign.butterworth(order: 3, cutoff: [30], type: .lowpass, rate: 250), x), "lfilter_lp",
            tol: 1e-5)
        expectClose(try MedianFilter.apply(x, kernel: 201), "medfilt_201", tol: 1e-6)
    }

    @Test func resamplingMatchesSciPy() throws {
        let x = lead()
        let down = try Resample.rate(x, from: 500, to: 100)
        expectClose(down, "resample_500_100", tol: 1e-5)
        expectClose(try Resample.rate(down, from: 100, to: 500), "resample_100_500", tol: 1e-5)
        expectClose(try Resample.rate(x, from: 500, to: 360), "resample_500_360", tol: 1e-5)
        #expect(Resample.ratio(360.0 / 500) == (18, 25))
    }

    @Test func ecgFounderChainMatchesSciPy() throws {
        let r = try #require(Self.record)
        let y = try Preprocess().apply(signal: r.signal, rate: r.rate)
        expectClose(y.values.map(Double.init), "chain", tol: 1e-4)
    }

    @Test func badArguments() {
        let cases: [(() throws -> Void, String)] = [
            (
                { _ = try FilterDesign.notch(frequency: 60, q: 30, rate: 100) },
                "notch: notch frequency 60.0 Hz must lie between 0 and the Nyquist frequency 50.0 Hz of a 100.0 Hz signal"
            ),
            (
                { _ = try FilterDesign.butterworth(order: 4, cutoff: [40, 0.5], type: .bandpass, rate: 500) },
                "butter: band edges [40.0, 0.5] must increase"
            ),
            (
                { _ = try FilterDesign.butterworth(order: 4, cutoff: [40], type: .bandpass, rate: 500) },
                "butter: a bandpass filter needs 2 cutoff frequencies, got 1"
            ),
            (
                { _ = try LinearFilter.filtfilt(IIRFilter(b: [1, 2, 1], a: [1, 0.5, 0.2]), [1, 2, 3]) },
                "filtfilt: the signal has 3 samples; this filter needs more than 9 (its padding length)"
            ),
            ({ _ = try MedianFilter.apply([1, 2], kernel: 4) }, "medfilt: kernel size must be a positive odd number, got 4"),
            ({ _ = try Resample.poly([1, 2], up: 0, down: 1) }, "resample: up and down factors must be positive, got 0/1")
        ]
        for (call, message) in cases {
            do { try call(); Issue.record("accepted: \(message)") } catch { #expect("\(error)" == message) }
        }
    }
}

import Foundation
import Testing
@testable import Engine

/// A trained model carries the transform of its training data: a raw Record read from disk, the same
/// record taken from the (preprocessed, standardised) dataset, and the dataset's prepared tensor give the
/// same probabilities; a saved and re-loaded model applies the same transform; mismatches are refused.
@Suite struct InputTransformTests {
    static func trained() throws -> (Net1D, ECGDataset) {
        var p = Preprocess()
        p.notch = nil // 100 Hz records: no mains hum to remove
        p.zscore = .global // one mean and std of the training split
        let ds = try p.apply(to: try PTBXL.load(dir: Fixtures.ptbxlSample, task: .superdiagnostic, rate: 100))
        #expect(ds.standardization != nil && ds.preprocessing != nil)
        var s = RecipeSettings.linearProbe
        s.preview.epochs = 1; s.preview.batch = 16
        let run = try Recipes.run("linear_probe", model: try TrainingTests.tiny(classes: ds.classes.count), data: ds, settings: s)
        return (run.model, ds)
    }

    func probabilities(_ m: Net1D, _ x: Tensor) throws -> [Float] {
        try GradMode.withoutGrad { try m.forward(x).sigmoid() }.values
    }

    @Test func recordDatasetAndTensorAgree() throws {
        let (model, ds) = try Self.trained()
        let transform = try #require(model.transform)
        #expect(transform.classes == ds.classes && transform.rate == 100 && transform.preprocess == ds.preprocessing)
        let test = ds.test
        let viaDataset = try Inference.predict(model, test)
        let K = ds.classes.count
        for i in [0, 3] {
            let fromDataset = try test.record(i) // already preprocessed
            let raw = try WFDB.read(
                Fixtures.ptbxlSample + "/records100/" + String(fromDataset.name.prefix(2)) + "000/" + fromDataset.name + "_lr")
            let a = try probabilities(model, try transform.input(for: fromDataset, op: "predict"))
            let b = try probabilities(model, try transform.input(for: raw, op: "predict"))
            let c = Array(viaDataset.values[(i * K)..<((i + 1) * K)])
            for k in 0..<K {
                #expect(abs(a[k] - c[k]) < 1e-5, "record \(i) class \(k): record from the dataset")
                #expect(abs(b[k] - c[k]) < 1e-4, "record \(i) class \(k): raw record from disk")
            }
        }
        // Saved and re-loaded: the same transform and the same outputs.
        let path = Fixtures.tempDir() + "/m.safetensors"
        try ModelIO.save(model, path: path)
        let again = try ModelIO.loadNet1D(path: path)
        #expect(again.transform == transform)
        let r = try test.record(0)
        #expect(
            try probabilities(again, try #require(again.transform).input(for: r, op: "predict"))
                == (try probabilities(model, try transform.input(for: r, op: "predict"))))
        // A new head is a new task: the old transform is not carried over.
        #expect(try ModelIO.loadNet1D(path: path, classes: 3).transform == nil)
    }

    @Test func mismatchesAreRefused() throws {
        let (model, ds) = try Self.trained()
        let transform = try #require(model.transform)
        var r = try ds.test.record(0)
        r.leads[4] = "X"
        #expect { try transform.input(for: r, op: "predict") } throws: { "\($0)".contains("has no lead 'AVL'") }
        var other = try ds.test.record(0)
        var p = Preprocess(); p.notch = nil; p.bandpass = (1, 30)
        other.preprocessing = p
        #expect { try transform.input(for: other, op: "predict") } throws: { "\($0)".contains("was preprocessed differently") }
        // Lead order follows the names: a record with its leads reversed gives the same input.
        let rec = try ds.test.record(1)
        let reversed = try rec.selecting(leads: rec.leads.reversed())
        #expect(try transform.input(for: reversed, op: "predict").values == (try transform.input(for: rec, op: "predict")).values)
    }
}

import Foundation
import Testing

/// Every notebook in `notebooks/` replays to the end on tiny settings (its Parameters cell overridden
/// with `-p`, outputs into a temporary folder), so that the committed reports stay runnable. Under a
/// sanitizer (`scripts/sanitize` sets ECGS_SANITIZER) full-ptbxl uses the small Net1D: the ECGFounder-size
/// one took 19 CPU minutes under ThreadSanitizer.
@Suite struct NotebookTests {
    static let sanitized = ProcessInfo.processInfo.environment["ECGS_SANITIZER"] != nil
    static let tiny: [String: [String]] = [
        "quickstart.ecgs": ["SEEDS=1", "EPOCHS=1"],
        "post-training.ecgs": [
            "SEEDS=1", "FRACTIONS=[1, 0.3]", "EPOCHS_PRETRAINED=1", "EPOCHS_RANDOM=1", "LRS=[0.001]",
            "TASKS=[\"superdiagnostic\"]"
        ],
        "figures.ecgs": [],
        "recipe-run.ecgs": ["EPOCHS=1"],
        "full-ptbxl.ecgs": ["BOOTSTRAP=10", "PREVIEW_EPOCHS=1"] + (sanitized ? ["PRESET=small"] : [])
    ]
    static let notebooks: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: ExampleTests.repo.appendingPathComponent("notebooks").path)) ?? [])
        .filter { $0.hasSuffix(".ecgs") }.sorted()

    @Test func everyNotebookHasTinySettings() { #expect(Set(Self.notebooks) == Set(Self.tiny.keys)) }

    @Test(arguments: notebooks)
    func notebookReplays(name: String) throws {
        let args =
            ["notebook", "notebooks/" + name, "-o", "{OUT}/report.ipynb", "-p", "OUT={OUT}/files"]
            + (Self.tiny[name] ?? []).flatMap { ["-p", $0] }
        try ExampleTests.runInRepo("notebook-\(name)", args) { status, text, out in
            #expect(status == 0, "\(name):\n\(text.suffix(3000))")
            #expect(text.contains(" 0 failed"), "\(name):\n\(text.suffix(3000))")
            #expect(FileManager.default.fileExists(atPath: out + "/report.ipynb"))
            // What the notebook writes goes to OUT, a folder or a file-name prefix (a misread OUT once put the
            // files into the repository).
            let written = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0.hasPrefix("files") }
            #expect(!written.isEmpty, "\(name) wrote nothing to \(out)/files…")
        }
    }
}

import Foundation
import Testing

/// Inputs that once crashed, hung or leaked a parser (found by fuzzing, kept in Tests/Fixtures/fuzz/HARNESS/)
/// are replayed through the same harness in an ordinary build: each must end with an error or a value.
@Suite struct FuzzRegressionTests {
    static let root = ExampleTests.repo.appendingPathComponent("Tests/Fixtures/fuzz").path
    static let harnesses = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { !$0.hasPrefix(".") }.sorted()

    @Test func thereAreRegressionInputs() { #expect(Self.harnesses.count >= 2) }

    @Test(arguments: harnesses)
    func keptInputsNoLongerCrash(harness: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/" + harness).sorted().map {
            Self.root + "/" + harness + "/" + $0
        }
        let fuzz = CommandLineTests.products.appendingPathComponent("ecgs-fuzz").path
        try ExampleTests.runInRepo("fuzz-\(harness)", [harness, "--replay"] + files, executable: fuzz) { status, text, _ in
            #expect(status == 0, "\(harness):\n\(text)")
            #expect(text.components(separatedBy: "no crash").count - 1 == files.count, "\(text)")
        }
    }
}

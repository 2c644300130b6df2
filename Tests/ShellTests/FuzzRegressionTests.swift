import Foundation
import Testing

/// What libFuzzer found and kept is replayed through the same harnesses in an ordinary build (no fuzzer
/// runtime): inputs that once crashed, hung or leaked a parser (Tests/Fixtures/fuzz/HARNESS/) and the
/// committed minimised corpora (fuzz/corpus/HARNESS/, made by `scripts/fuzz --minimize`). Each input must
/// end with an error or a value.
@Suite struct FuzzRegressionTests {
    static let fuzz = CommandLineTests.products.appendingPathComponent("ecgs-fuzz").path
    static let regressions = ExampleTests.repo.appendingPathComponent("Tests/Fixtures/fuzz").path
    static let corpora = ExampleTests.repo.appendingPathComponent("fuzz/corpus").path
    static func entries(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    static func harnesses() throws -> [String] {
        var names: [String] = []
        try ExampleTests.runInRepo("fuzz-list", ["--list"], executable: fuzz) { status, text, _ in
            #expect(status == 0, "\(text)")
            names = text.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        return names
    }

    @Test func everyHarnessHasSeedsAndACommittedCorpus() throws {
        let names = try Self.harnesses()
        #expect(names.count >= 15, "\(names)")
        for h in names {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-seeds-\(h)-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try ExampleTests.runInRepo("fuzz-seeds-\(h)", [h, "--export-seeds", dir], executable: Self.fuzz) { status, text, _ in
                #expect(status == 0, "\(h): \(text)")
            }
            #expect(!Self.entries(dir).isEmpty, "\(h) has no seeds")
            #expect(!Self.entries(Self.corpora + "/" + h).isEmpty, "\(h) has no committed corpus (scripts/fuzz --minimize \(h))")
        }
        // Every kept crash belongs to a harness that still exists.
        #expect(Set(Self.entries(Self.regressions)).isSubset(of: names))
    }

    @Test(arguments: entries(regressions))
    func keptCrashesNoLongerCrash(harness: String) throws {
        try replay(harness, Self.regressions + "/" + harness, atLeast: 1)
    }

    @Test(arguments: entries(corpora))
    func committedCorporaReplay(harness: String) throws {
        try replay(harness, Self.corpora + "/" + harness, atLeast: 1)
    }

    func replay(_ harness: String, _ dir: String, atLeast: Int) throws {
        let count = Self.entries(dir).count
        #expect(count >= atLeast, "\(dir) is empty")
        try ExampleTests.runInRepo("fuzz-\(harness)", [harness, "--replay", dir], executable: Self.fuzz) { status, text, _ in
            #expect(status == 0, "\(harness):\n\(text.suffix(2000))")
            #expect(text.components(separatedBy: "no crash").count - 1 == count, "\(text.suffix(2000))")
        }
    }
}

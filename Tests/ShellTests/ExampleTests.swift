import Foundation
import Testing

/// Every script in `examples/` runs to the end on tiny settings (`quick`), from the repository root
/// as the README shows, writing its files into a temporary folder.
@Suite struct ExampleTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: repo.appendingPathComponent("examples").path)) ?? [])
        .filter { $0.hasSuffix(".ecgs") }.sorted()

    @Test func thereAreExamples() { #expect(Self.examples.count >= 8, "\(Self.examples)") }

    /// Runs a built executable (`ecgs` unless named) from the repository root with `arguments` (`{OUT}`
    /// replaced by a fresh temporary folder, which also holds the PTB-XL cache) and hands its exit status,
    /// output and that folder to `check`.
    static func runInRepo(
        _ tag: String, _ arguments: [String], executable: String = TerminalTests.executable,
        _ check: (Int32, String, String) throws -> Void
    ) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-\(tag)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: out)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (status, text) = try ChildProcess.run(
            executable, arguments.map { $0.replacingOccurrences(of: "{OUT}", with: out) }, directory: repo.path,
            environment: ["ECGS_CACHE": out + "/cache"])
        try check(status, text, out)
    }

    @Test(arguments: examples)
    func example(name: String) throws {
        try Self.runInRepo("example-\(name)", ["run", "examples/" + name, "quick", "{OUT}"]) { status, text, out in
            try Self.check(name, status, text, out)
        }
    }

    static func check(_ name: String, _ status: Int32, _ text: String, _ out: String) throws {
        #expect(status == 0, "\(name):\n\(text)")
        // Figures the example asked for were written where it said, not into the working folder.
        for line in text.split(separator: "\n") where line.hasPrefix("Figure ") {
            let path = String(line.split(separator: "→").last!.trimmingCharacters(in: .whitespaces))
            #expect(path.hasPrefix(out), "\(name): \(line)")
            #expect(FileManager.default.fileExists(atPath: path), "\(name): \(line)")
        }
    }
}

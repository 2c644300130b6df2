import Foundation
import Testing

/// Every script in `examples/` runs to the end on tiny settings (`quick`), from the repository root
/// as the README shows, writing its files into a temporary folder.
@Suite struct ExampleTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: repo.appendingPathComponent("examples").path)) ?? [])
        .filter { $0.hasSuffix(".ecgs") }.sorted()

    @Test func thereAreExamples() { #expect(Self.examples.count >= 8, "\(Self.examples)") }

    @Test(arguments: examples)
    func example(name: String) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-example-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: out)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TerminalTests.executable)
        p.arguments = ["run", "examples/" + name, "quick", out]
        p.currentDirectoryURL = Self.repo
        var env = ProcessInfo.processInfo.environment
        env["ECGS_CACHE"] = out + "/cache"
        p.environment = env
        let o = Pipe()
        p.standardOutput = o
        p.standardError = o
        try p.run()
        let text = String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(name):\n\(text)")
        // Figures the example asked for were written where it said, not into the working folder.
        for line in text.split(separator: "\n") where line.hasPrefix("Figure ") {
            let path = String(line.split(separator: "→").last!.trimmingCharacters(in: .whitespaces))
            #expect(path.hasPrefix(out), "\(name): \(line)")
            #expect(FileManager.default.fileExists(atPath: path), "\(name): \(line)")
        }
    }
}

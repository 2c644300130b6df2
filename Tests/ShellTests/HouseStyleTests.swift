import Foundation
import Testing

/// The house style that a reviewer should not have to check by eye: swift-format (configured in
/// `.swift-format`) finds nothing, and no Swift line is longer than 140 characters.
@Suite struct HouseStyleTests {
    static let root = CommandLineTests.root
    static let folders = ["Sources", "Tests", "benchmarks", "fuzz"]

    @Test func linesAreAtMost140Characters() throws {
        var long: [String] = []
        for folder in Self.folders {
            let base = Self.root + "/" + folder
            guard let files = FileManager.default.enumerator(atPath: base) else { continue }
            for case let f as String in files where f.hasSuffix(".swift") {
                let text = try String(contentsOfFile: base + "/" + f, encoding: .utf8)
                for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.count > 140 {
                    long.append("\(folder)/\(f):\(i + 1) (\(line.count))")
                }
            }
        }
        #expect(long.isEmpty, "lines over 140 characters: \(long.prefix(20))")
    }

    @Test func swiftFormatLintIsClean() throws {
        let (status, out) = try ChildProcess.run(
            "/usr/bin/env", ["swift", "format", "lint", "--strict", "-r"] + Self.folders + ["Package.swift"], directory: Self.root)
        #expect(status == 0, "swift format lint (run `make format`):\n\(out.prefix(3000))")
    }
}

import Foundation
import Testing

/// Drives the built `ecgs` binary as a user would.
@Suite struct CommandLineTests {
    static let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        var exe = Self.products.appendingPathComponent("ecgs")
        if !FileManager.default.fileExists(atPath: exe.path) {  // xctest bundles nest one level deeper
            exe = Self.products.deletingLastPathComponent().appendingPathComponent("ecgs")
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        let o = Pipe(), e = Pipe()
        p.standardOutput = o
        p.standardError = e
        try p.run()
        let out = String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: e.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, out, err)
    }

    @Test func infoReportsTheBLASCore() throws {
        let r = try run(["info"])
        #expect(r.status == 0)
        #expect(r.out.contains("BLAS core:"))
    }

    @Test func summaryAndConvertRoundTrip() throws {
        let ckpt = Self.fixtures.appendingPathComponent("tiny-L1000.pth").path
        let s = try run(["summary", ckpt])
        #expect(s.status == 0)
        #expect(s.out.contains("stage_list.6") && s.out.contains("total"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("m.safetensors").path
        let c = try run(["convert", ckpt, out, "--classes", "3"])
        #expect(c.status == 0, "\(c.err)")
        #expect(try run(["summary", out]).out.contains("Linear 64→3"))
    }

    @Test func badInputIsAClearErrorWithExitStatus1() throws {
        let r = try run(["summary", "/nonexistent/x.pth"])
        #expect(r.status == 1)
        #expect(r.err == "ecgs: error: load_model: no such file: '/nonexistent/x.pth'\n")
    }
}

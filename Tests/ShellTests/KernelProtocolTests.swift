import Foundation
import Testing

/// The Jupyter kernel through the real Jupyter clients: jupyter_kernel_test's conformance suite, the fault
/// cases, and nbclient/nbformat/nbconvert on a notebook (Tests/Jupyter/*.py). The Python tools come from
/// the venv of `scripts/python-env`, which this test creates when it is missing; the kernel is started by
/// Jupyter through the kernelspec `ecgs kernel install --prefix` writes.
@Suite(.serialized) struct KernelProtocolTests {
    static let repo = ExampleTests.repo.path

    /// The venv's python (created on first use).
    static let python: Result<String, Error> = Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [repo + "/scripts/python-env"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let path = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw NSError(domain: "python-env", code: Int(p.terminationStatus), userInfo: ["log": log]) }
        return path.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Installs the kernelspec into a fresh prefix and runs a Python test file with Jupyter looking there.
    func runPython(_ file: String, timeout: TimeInterval = 600) throws -> (Int32, String) {
        let python = try Self.python.get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-jupyter-\(getpid())-\(UUID().uuidString.prefix(6))")
            .path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var status: Int32 = 0
        try ExampleTests.runInRepo("kernelspec", ["kernel", "install", "--prefix", dir]) { s, out, _ in
            status = s
            #expect(s == 0, "\(out)")
        }
        guard status == 0 else { return (status, "kernel install failed") }
        let env = [
            "JUPYTER_PATH": dir + "/share/jupyter", "JUPYTER_DATA_DIR": dir + "/data", "JUPYTER_RUNTIME_DIR": dir + "/runtime",
            "ECGS_REPO": Self.repo, "ECGS": TerminalTests.executable, "ECGS_CACHE": dir + "/cache"
        ]
        return try ChildProcess.run(
            python, ["-u", Self.repo + "/Tests/Jupyter/" + file], directory: dir, environment: env, timeout: timeout)
    }

    @Test func conformanceSuitePasses() throws {
        let (status, out) = try runPython("test_kernel.py")
        #expect(status == 0 && out.contains("\nOK"), "\(out.suffix(6000))")
    }

    @Test func faultsGetTheProtocolsAnswer() throws {
        let (status, out) = try runPython("test_kernel_faults.py")
        #expect(status == 0 && out.contains("\nOK"), "\(out.suffix(6000))")
        for line in out.split(separator: "\n")
        where line.contains("latency") || line.contains("round trip") || line.contains("shutdown while") {
            print("kernel: \(line)")
        }
    }

    @Test func nbclientAndNbconvertRunANotebook() throws {
        let (status, out) = try runPython("test_notebooks.py")
        #expect(status == 0 && out.contains("\nOK"), "\(out.suffix(6000))")
    }
}

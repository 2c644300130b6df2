import Foundation
import Testing

/// Drives the built `ecgs` binary as a user would.
@Suite struct CommandLineTests {
    static let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    func run(_ args: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        var exe = Self.products.appendingPathComponent("ecgs")
        if !FileManager.default.fileExists(atPath: exe.path) { // xctest bundles nest one level deeper
            exe = Self.products.deletingLastPathComponent().appendingPathComponent("ecgs")
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        let o = Pipe(), e = Pipe()
        p.standardOutput = o
        p.standardError = e
        let i = Pipe()
        if stdin != nil { p.standardInput = i }
        try p.run()
        if let stdin { i.fileHandleForWriting.write(Data(stdin.utf8)); try i.fileHandleForWriting.close() }
        let out = String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: e.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, out, err)
    }

    @Test func infoReportsTheBLASCore() throws {
        let r = try run(["info"])
        #expect(r.status == 0)
        #expect(r.out.contains("BLAS core:") && r.out.contains("thread binding:") && r.out.contains("own kernels:"))
        #expect(r.out.contains("inference:        weights packed once"))
    }

    @Test func summaryAndConvertRoundTrip() throws {
        let ckpt = Self.fixtures.appendingPathComponent("tiny-L1000.pth").path
        let s = try run(["summary", ckpt])
        #expect(s.status == 0)
        #expect(s.out.contains("stage_list.6") && s.out.contains("parameters"))
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

    static let root = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func notebookWritesThreeFormatsWithFiguresAndErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-nb-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = dir + "/sample.ecgs"
        try """
        # %% [markdown]
        # # Title
        # Some **markdown**.
        # %% first
        x = 21 * 2
        print("printed")
        x
        # %% figure
        plot(linspace(0, 1, 20), linspace(0, 1, 20) ^ 2, to="\(dir)/saved.png")
        # %% error
        nope + 1
        # %% after the error
        x + 1
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let r = try run(["notebook", script, "-o", dir + "/nb.ipynb", "-o", dir + "/nb.html", "-o", dir + "/nb.md", "--allow-errors"])
        #expect(r.status == 0, "\(r.err)")
        let nb = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/nb.ipynb"))) as! [String: Any]
        #expect(nb["nbformat"] as? Int == 4 && nb["nbformat_minor"] as? Int == 5)
        let cells = nb["cells"] as! [[String: Any]]
        #expect(cells.map { $0["cell_type"] as! String } == ["markdown", "code", "code", "code", "code"])
        #expect(Set(cells.map { $0["id"] as! String }).count == 5)
        let outputs = cells.dropFirst().map { ($0["outputs"] as! [[String: Any]]).map { $0["output_type"] as! String } }
        #expect(outputs == [["stream", "execute_result"], ["display_data"], ["error"], ["execute_result"]])
        let fig = (cells[2]["outputs"] as! [[String: Any]])[0]["data"] as! [String: Any]
        let png = Data(base64Encoded: fig["image/png"] as! String)!
        #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(FileManager.default.fileExists(atPath: dir + "/saved.png"))
        let html = try String(contentsOfFile: dir + "/nb.html", encoding: .utf8)
        #expect(html.contains("data:image/png;base64,") && html.contains("<h1>Title</h1>") && html.contains("<strong>markdown</strong>"))
        #expect(html.contains("sample.ecgs:11:1: error: unknown name 'nope'"))
        let md = try String(contentsOfFile: dir + "/nb.md", encoding: .utf8)
        #expect(md.contains("![](nb_files/figure-1.png)") && FileManager.default.fileExists(atPath: dir + "/nb_files/figure-1.png"))
        // Without --allow-errors the replay stops at the error and exits 1.
        let strict = try run(["notebook", script, "-o", dir + "/strict.ipynb"])
        #expect(strict.status == 1)
    }

    @Test func pipedInputRunsWithoutPromptsAndFailsOnErrors() throws {
        let ok = try run([], stdin: "x = 2\nx * 3\n")
        #expect(ok.status == 0 && ok.out == "6\n", "\(ok.out)|\(ok.err)")
        let bad = try run([], stdin: "x = 2\ny = nope\nx\n")
        #expect(bad.status == 1 && bad.err.contains("In[2]:1:5: error: unknown name 'nope'") && bad.out == "2\n")
    }

    @Test func runReportsTheFirstErrorWithItsPosition() throws {
        let dir = FileManager.default.temporaryDirectory.path
        let script = dir + "/ecgs-run-\(UUID().uuidString).ecgs"
        try "print(\"a\")\nfinetune(1, 2, lerning_rate=1)\n".write(toFile: script, atomically: true, encoding: .utf8)
        let r = try run(["run", script])
        #expect(r.status == 1 && r.out == "a\n")
        #expect(r.err.contains(":2:16: error: finetune: unknown argument 'lerning_rate' (did you mean 'lr'?)"))
        #expect(r.err.contains("               ^"))
    }

    /// papermill-style parameters: `-p NAME=VALUE` runs after the "Parameters" cell; typos are refused.
    @Test func notebookParametersOverrideTheParametersCell() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-param-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = dir + "/p.ecgs"
        try "# %% Parameters\nPTBXL = \"data/x\"\nEPOCHS = 2\n# %%\nprint(PTBXL, EPOCHS * 2)\n".write(
            toFile: script, atomically: true, encoding: .utf8)
        let r = try run(["notebook", script, "-o", dir + "/p.md", "-p", "PTBXL=/a \"b\"", "--param", "EPOCHS=5"])
        #expect(r.status == 0, "\(r.err)")
        let md = try String(contentsOfFile: dir + "/p.md", encoding: .utf8)
        #expect(md.contains("PTBXL = \"/a \\\"b\\\"\"\nEPOCHS = 5") && md.contains("/a \"b\" 10"), "\(md)")
        let typo = try run(["notebook", script, "-o", dir + "/q.md", "-p", "EPOCH=5"])
        #expect(typo.status != 0 && typo.err.contains("does not set 'EPOCH' (did you mean 'EPOCHS'?)"), "\(typo.err)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/q.md"))
        // A list or dict of literals is taken as it is; anything that could run stays a string.
        try "# %% Parameters\nLRS = [1]\n# %%\nprint(type(LRS), LRS)\n".write(toFile: script, atomically: true, encoding: .utf8)
        for (value, shown) in [
            ("[0.001, -2, \"x\", {a: [true, nil]}]", "list [0.001, -2, \"x\", {a: [true, nil]}]"),
            ("[1, print(2)]", "string [1, print(2)]"), ("[1", "string [1"), ("[\"\\(1 + 1)\"]", "string")
        ] {
            let l = try run(["notebook", script, "-o", dir + "/l.md", "-p", "LRS=" + value])
            let out = try String(contentsOfFile: dir + "/l.md", encoding: .utf8)
            #expect(l.status == 0 && out.contains(shown), "\(value): \(out)")
        }
    }
}

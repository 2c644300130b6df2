import Foundation
import Testing
@testable import Engine

@Suite struct CheckpointTests {
    /// The error message a load produces, or nil when it succeeds.
    func loadError(_ path: String) -> String? {
        do { _ = try ModelIO.loadNet1D(path: path); return nil } catch { return "\(error)" }
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let p = Fixtures.tempDir() + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    @Test func halfPrecisionBareProtocol4CheckpointLoads() throws {
        let half = try ModelIO.loadNet1D(path: Fixtures.golden("tiny-L1000-half-bare.pth"))
        let full = try ModelIO.loadNet1D(path: Fixtures.golden("tiny-L1000.pth"))
        let w = try #require(full.state.first { $0.0 == "dense.weight" }?.1)
        let h = try #require(half.state.first { $0.0 == "dense.weight" }?.1)
        #expect(relativeError(h, w) <= 1e-3) // float16 rounding
    }

    /// Malformed inputs and the message each produces (a table of cases).
    @Test func malformedCheckpointsAreRefusedClearly() throws {
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.golden("tiny-L1000.pth"))))
        let legacy = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.golden("tiny-L1000-legacy.pth"))))
        let cases: [(String, String)] = [
            (Fixtures.golden("malicious-os-system.pth"), "refusing to load global 'os.system'"),
            (Fixtures.golden("wrong-shape.pth"), "'dense.weight' has shape [5, 3] in the checkpoint but [5, 64] in the model"),
            (try write(Array(good.prefix(good.count / 2)), "truncated.pth"), "damaged zip archive"),
            (try write([0x13, 0x37] + Array(good.dropFirst(2)), "magic.pth"), "not a PyTorch checkpoint"),
            (try write([0x80, 0x02, 0x7D, 0x2E], "legacy.pth"), "a pickle without torch.save's magic number"),
            (Fixtures.golden("os-system-in-legacy.pth"), "refusing to load global 'posix.system'"),
            (Fixtures.golden("numpy-global.pth"), "refusing to load global 'numpy.load'"),
            (try write(Array(legacy.prefix(legacy.count - 1000)), "legacy-truncated.pth"), "truncated file"),
            (try write(Array(legacy.prefix(40)), "legacy-cut.pth"), "pickle ends unexpectedly"),
            (try write([], "empty.pth"), "not a PyTorch checkpoint"),
            ("/nonexistent/model.pth", "no such file: '/nonexistent/model.pth'")
        ]
        for (path, expected) in cases {
            let message = loadError(path)
            #expect(message?.contains(expected) == true, "\(path): got \(message ?? "success")")
            #expect(message?.hasPrefix("load_model: ") == true || message?.hasPrefix("load_state: ") == true)
        }
    }

    /// Zip layouts that made ZIPFoundation trap (an offset past 2^63 converted to off_t) or allocate a declared
    /// 2.6 GB for a 2 KB file (found by libFuzzer, kept in Tests/Fixtures/fuzz/checkpoint): refused before
    /// ZIPFoundation reads them, with what is wrong.
    @Test func damagedZipDirectoriesAreRefusedBeforeZIPFoundationReadsThem() throws {
        let kept = Fixtures.root.path + "/fuzz/checkpoint/"
        #expect(
            loadError(kept + "central-directory-past-the-end")?.contains("the central directory (491 bytes at 1400) lies outside") == true)
        #expect(loadError(kept + "entry-declares-2.6-GB")?.contains("damaged zip archive") == true)
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.golden("tiny-L1000.pth"))))
        let entries = try ZipDirectory.check(path: Fixtures.golden("tiny-L1000.pth"))
        #expect(entries.contains { $0.name.hasSuffix("data.pkl") } && entries.allSatisfy { $0.localHeaderOffset < UInt64(good.count) })
        // The first central-directory entry's local-header offset set past the end of the file is refused.
        let eocd = good.count - 22
        #expect(good[eocd] == 0x50 && good[eocd + 1] == 0x4B && good[eocd + 2] == 5 && good[eocd + 3] == 6)
        let cd = Int(good[eocd + 16]) | Int(good[eocd + 17]) << 8 | Int(good[eocd + 18]) << 16 | Int(good[eocd + 19]) << 24
        var bad = good
        for k in 0..<4 { bad[cd + 42 + k] = 0xFF }
        #expect(loadError(try write(bad, "offset.pth"))?.contains("damaged zip archive") == true)
        // A stored entry that declares more bytes than it holds (torch.save stores without compression).
        var big = good
        for k in 0..<4 { big[cd + 24 + k] = k == 3 ? 0x7F : 0xFF }
        #expect(loadError(try write(big, "size.pth"))?.contains("declares 2147483647 bytes, more than its") == true)
    }

    /// ECGFounder's `save_checkpoint` dict (Adam and ReduceLROnPlateau states, val_auroc as a NumPy float64,
    /// a NumPy array) and the legacy non-zip format under deepfake-ecg's `stat_dict` key: both load, with
    /// logits equal to PyTorch's for the same weights (Tests/Fixtures/golden/tiny-L1000.ref.safetensors).
    @Test(arguments: ["ecgfounder-checkpoint.pth", "tiny-L1000-legacy.pth"])
    func checkpointsUsersHaveLoad(file: String) throws {
        let model = try ModelIO.loadNet1D(path: Fixtures.golden(file))
        let ref = try Fixtures.reference("tiny-L1000.ref.safetensors")
        let logits = try GradMode.withoutGrad { try model(try #require(ref["input"])) }
        #expect(relativeError(logits, try #require(ref["logits"])) <= 1e-4)
        let zipped = try ModelIO.loadNet1D(path: Fixtures.golden("tiny-L1000.pth"))
        for ((k1, a), (k2, b)) in zip(model.state, zipped.state) { #expect(k1 == k2 && relativeError(a, b) == 0) }
    }

    @Test func numpyScalarsAndArraysAreRebuiltFromBytes() throws {
        // numpy.dtype('f8') BUILT little-endian, then numpy scalar(dtype, latin-1 bytes of 0.8123).
        let bytes = [UInt8](withUnsafeBytes(of: 0.8123.bitPattern.littleEndian) { Array($0) })
        let latin = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        func s(_ t: String) -> [UInt8] { [0x8C, UInt8(t.utf8.count)] + Array(t.utf8) }
        let pickle: [UInt8] =
            [0x80, 0x02] + Array("cnumpy._core.multiarray\nscalar\n".utf8)
            + Array("cnumpy\ndtype\n".utf8) + s("f8") + [0x89, 0x88, 0x87, 0x52] // dtype('f8', False, True)
            + [0x28, 0x4B, 0x03] + s("<") + [
                0x4E, 0x4E, 0x4E, 0x4A, 0xFF, 0xFF, 0xFF, 0xFF, 0x4A, 0xFF, 0xFF, 0xFF, 0xFF, 0x4B, 0x00, 0x74, 0x62
            ]
            + Array("c_codecs\nencode\n".utf8) + [0x58] + withUnsafeBytes(of: UInt32(latin.utf8.count).littleEndian) { Array($0) }
            + Array(latin.utf8) + s("latin1") + [0x86, 0x52] // encode(latin, 'latin1')
            + [0x86, 0x52, 0x2E] // scalar(dtype, bytes)
        var vm = RestrictedUnpickler(bytes: pickle, source: "scalar.pkl") { _ in [] }
        guard case let .float(v) = try vm.run() else { Issue.record("not a float"); return }
        #expect(v == 0.8123)
        // A big-endian int16 array, rebuilt value by value.
        let d = NumpyDType(code: "i2")
        d.byteOrder = ">"
        #expect(d.value([0xFF, 0xFE, 0x01, 0x00], index: 0) == -2 && d.value([0xFF, 0xFE, 0x01, 0x00], index: 1) == 256)
        #expect(NumpyDType(code: "O").numeric == nil && NumpyDType(code: "U8").numeric == nil)
    }

    @Test func pickleOpcodesOutsideTorchSaveAreRefused() throws {
        // GLOBAL builtins.eval, then an unknown opcode: neither may run.
        func run(_ bytes: [UInt8]) -> String {
            var vm = RestrictedUnpickler(bytes: bytes, source: "test.pkl") { _ in [] }
            do { _ = try vm.run(); return "ok" } catch { return "\(error)" }
        }
        #expect(run([0x80, 0x02] + Array("cbuiltins\neval\n.".utf8)).contains("refusing to load global 'builtins.eval'"))
        #expect(run([0x80, 0x02, 0x69]).contains("refusing pickle opcode 0x69"))
        #expect(run([0x80, 0x02, 0x7D]).contains("pickle ends unexpectedly"))
        #expect(run([0x80, 0x02, 0x68, 0x05]).contains("memo entry 5 that was never stored"))
    }

    @Test func safetensorsRoundTripAndPyTorchNames() throws {
        let model = try ModelIO.loadNet1D(path: Fixtures.golden("tiny-L1000.pth"))
        let path = Fixtures.tempDir() + "/tiny.safetensors"
        try ModelIO.save(model, path: path)
        let (tensors, meta) = try SafeTensors.load(path: path)
        #expect(meta["architecture"] == "Net1D")
        #expect(tensors.count == model.state.count)
        let again = try ModelIO.loadNet1D(path: path)
        var rng = SeededRandom(seed: 1)
        let x = try Tensor.randn([1, 12, 500], rng: &rng)
        #expect(relativeError(try again(x), try model(x)) == 0)
        // No temporary file is left beside the result.
        let left = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(left == ["tiny.safetensors"])
    }

    @Test func malformedSafetensorsAreRefusedClearly() throws {
        func header(_ json: String, data: Int) -> [UInt8] {
            var b = [UInt8](json.utf8)
            while b.count % 8 != 0 { b.append(0x20) }
            return withUnsafeBytes(of: UInt64(b.count).littleEndian) { Array($0) } + b + [UInt8](repeating: 0, count: data)
        }
        let cases: [([UInt8], String)] = [
            ([1, 2, 3], "too short for a safetensors header"),
            (withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Array($0) } + [0x7B, 0x7D], "header claims 1099511627776 bytes"),
            (
                header(#"{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}"#, data: 8),
                "claims bytes 0..<16 but the data section has 8"
            ),
            (header(#"{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}}"#, data: 16), "needs 12"),
            (header(#"{"w": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}"#, data: 8), "unsupported dtype 'C64'"),
            (header("[1, 2]", data: 0), "header is not a JSON object"),
            (header(#"{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 0]}}"#, data: 0), "negative dimension")
        ]
        for (bytes, expected) in cases {
            do {
                _ = try SafeTensors.decode(Data(bytes), source: "x.safetensors")
                Issue.record("decoded a malformed file; expected \(expected)")
            } catch {
                #expect("\(error)".contains(expected), "got \(error)")
            }
        }
    }

    @Test func saveRefusesOtherExtensionsCreatesFoldersAndNamesAFileInTheWay() throws {
        let model = try Net1D(Net1DConfig.preset("tiny", classes: 2))
        let dir = Fixtures.tempDir()
        #expect(throws: EngineError.self) { try ModelIO.save(model, path: dir + "/m.pth") }
        try ModelIO.save(model, path: dir + "/new/folder/m.safetensors")
        #expect(FileManager.default.fileExists(atPath: dir + "/new/folder/m.safetensors"))
        #expect(throws: EngineError("save", "'\(dir)/new/folder/m.safetensors' is a file, not a folder")) {
            try ModelIO.save(model, path: dir + "/new/folder/m.safetensors/inner.safetensors")
        }
    }
}

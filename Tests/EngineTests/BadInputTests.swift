import Engine
import Foundation
import Testing

/// Inputs found by the fuzzers (fuzz/run.sh) and other malformed files: each must give an error that
/// names the file and the problem, never a crash.
@Suite struct BadInputTests {
    func npy(_ header: String, payload: Int = 0) throws -> String {
        var h = Array(header.utf8)
        while (10 + h.count + 1) % 64 != 0 { h.append(0x20) }
        h.append(0x0A)
        let bytes: [UInt8] =
            [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + [UInt8](repeating: 0, count: payload)
        let path = Fixtures.tempDir() + "/t.npy"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    @Test func npyHeaders() throws {
        // Found by the npy fuzzer: ')' before '(' in the shape field crashed the reader.
        let p1 = try npy("{'descr': '<f4', 'fortran_order': False, 'shape': )3, (}")
        #expect(throws: EngineError("load_npy", "\(p1): header has no 'shape'")) { try NPY.read(p1) }
        let p2 = try npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 1000000), }")
        #expect { try NPY.read(p2) } throws: { e in "\(e)".contains("needs") && "\(e)".contains("available") }
        let p3 = try npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), }", payload: 8)
        #expect(throws: EngineError("load_npy", "\(p3): shape [4, 4] needs 64 bytes of data but the file has 8")) { try NPY.read(p3) }
    }

    @Test func truncatedAndEmptyFiles() throws {
        let dir = Fixtures.tempDir()
        // Found by the ecgscript fuzzer: load_model on a folder trapped inside FileHandle.readData.
        try FileManager.default.createDirectory(atPath: dir + "/folder.pth", withIntermediateDirectories: true)
        #expect(throws: EngineError("load_model", "'\(dir)/folder.pth' is a folder, not a checkpoint file")) {
            try TorchCheckpoint.load(path: dir + "/folder.pth")
        }
        FileManager.default.createFile(atPath: dir + "/empty.safetensors", contents: Data())
        #expect(throws: EngineError.self) { try SafeTensors.load(path: dir + "/empty.safetensors") }
        FileManager.default.createFile(atPath: dir + "/empty.pth", contents: Data())
        #expect(throws: EngineError.self) { try TorchCheckpoint.load(path: dir + "/empty.pth") }
        FileManager.default.createFile(atPath: dir + "/empty.atr", contents: Data([0x00]))
        #expect(throws: EngineError.self) { try WFDBAnnotation.read(dir + "/empty.atr") }
        // A header promising 10^12 samples of a 16-bit signal: refused before any allocation.
        try "r 1 500 1000000000000\nr.dat 16 200 16 0 0 0 0 I\n".write(toFile: dir + "/r.hea", atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: dir + "/r.dat", contents: Data([1, 2, 3, 4]))
        #expect { try WFDB.read(dir + "/r") } throws: { e in "\(e)".contains("r.dat") }
    }

    /// Found by the ptbxl fuzzer: an ecg_id or strat_fold beyond Int's range trapped in the conversion.
    @Test(arguments: [
        ("ecg_id", "99999999999999999999999999999993", "ecg_id '99999999999999999999999999999993' is not an integer"),
        ("strat_fold", "71e308", "strat_fold '71e308' is not a fold 1–10")
    ])
    func ptbxlNumbersOutOfRange(column: String, value: String, message: String) throws {
        let dir = Fixtures.tempDir()
        try FileManager.default.copyItem(atPath: Fixtures.ptbxlSample + "/scp_statements.csv", toPath: dir + "/scp_statements.csv")
        let db = try CSVFile.read(Fixtures.ptbxlSample + "/ptbxl_database.csv")
        var rows = db.rows
        rows[0][try db.column(column)] = value
        try CSVFile(header: db.header, rows: rows).write(to: dir + "/ptbxl_database.csv")
        #expect(throws: EngineError("ptbxl", "\(dir)/ptbxl_database.csv:2: \(message)")) {
            try PTBXL.load(dir: dir, task: .superdiagnostic, useCache: false)
        }
    }
}

import Foundation
import Testing
@testable import Engine

/// Paths of committed fixtures (Tests/Fixtures), found relative to this source file.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static func golden(_ name: String) -> String { root.appendingPathComponent("golden/\(name)").path }
    static func wfdb(_ name: String) -> String { root.appendingPathComponent("wfdb/\(name)").path }
    /// The real PTB-XL subset shipped in `data/` (100 records at 100 Hz).
    static let ptbxlSample = root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data/ptbxl-sample").path
    static func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    }

    static func reference(_ name: String) throws -> [String: Tensor] {
        try SafeTensors.load(path: golden(name)).tensors
    }

    static func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d.path
    }
}

/// max |a − b| / max(max |b|, floor): the relative error the golden tests bound.
func relativeError(_ a: Tensor, _ b: Tensor, floor: Float = 1e-6) -> Float {
    precondition(a.count == b.count, "compared tensors differ in size: \(a.shape) vs \(b.shape)")
    var diff: Float = 0, scale: Float = floor
    for i in 0..<a.count {
        diff = max(diff, abs(a.data[i] - b.data[i]))
        scale = max(scale, abs(b.data[i]))
    }
    return diff / scale
}

func tensor(_ values: [Float], _ shape: [Int], grad: Bool = false) -> Tensor {
    let t = Tensor(values, shape: shape)
    t.requiresGrad = grad
    return t
}

/// Checks the analytic gradient of `f` (a scalar function of `inputs`) against central finite
/// differences in Double-accumulated Float32, returning the worst relative error.
func gradientCheck(_ inputs: [Tensor], eps: Float = 1e-2, _ f: ([Tensor]) throws -> Tensor) throws -> Float {
    for x in inputs { x.requiresGrad = true; x.grad = nil }
    let y = try f(inputs)
    try y.backward()
    var worst: Float = 0
    for x in inputs {
        guard let g = x.grad else { Issue.record("no gradient reached an input"); return .infinity }
        for i in 0..<x.count {
            let old = x.data[i]
            x.data[i] = old + eps
            let up = try GradMode.withoutGrad { try f(inputs).item() }
            x.data[i] = old - eps
            let down = try GradMode.withoutGrad { try f(inputs).item() }
            x.data[i] = old
            let numeric = (up - down) / (2 * eps)
            let err = abs(numeric - g.data[i]) / max(1, abs(numeric))
            worst = max(worst, err)
        }
    }
    return worst
}

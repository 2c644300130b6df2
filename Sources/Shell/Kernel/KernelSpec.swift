import Engine
import Foundation

/// The kernelspec that tells Jupyter how to start the ECGScript kernel: `kernels/<name>/kernel.json` (argv is
/// this executable's absolute path plus `kernel -f {connection_file}`) and logos, under a Jupyter data folder.
enum KernelSpec {
    static let version = "0.2.0"

    /// Where `kernels/` goes: `$JUPYTER_DATA_DIR` when set (user installs, as jupyter_core does), else
    /// `~/.local/share/jupyter` (user), `$VIRTUAL_ENV`/`$CONDA_PREFIX` + `/share/jupyter` (sys-prefix),
    /// `DIR/share/jupyter` (prefix).
    enum Location {
        case user, sysPrefix, prefix(String)

        func dataDir(environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
            switch self {
            case .user:
                if let d = env["JUPYTER_DATA_DIR"], !d.isEmpty { return d }
                if let x = env["XDG_DATA_HOME"], !x.isEmpty { return x + "/jupyter" }
                return (env["HOME"] ?? NSHomeDirectory()) + "/.local/share/jupyter"
            case .sysPrefix:
                guard let p = env["VIRTUAL_ENV"] ?? env["CONDA_PREFIX"], !p.isEmpty else {
                    throw ZMQ.Failure(
                        description: "--sys-prefix: no active Python environment (VIRTUAL_ENV or CONDA_PREFIX); use --prefix DIR")
                }
                return p + "/share/jupyter"
            case .prefix(let dir): return dir + "/share/jupyter"
            }
        }
    }

    static func json(name: String) -> [String: Any] {
        [
            "argv": [EcgsExecutable.path, "kernel", "-f", "{connection_file}"],
            "display_name": name == "ecgs" ? "ECGScript" : "ECGScript (\(name))",
            "language": "ecgscript", "interrupt_mode": "message",
            "metadata": ["debugger": false, "file_extension": ".ecgs"]
        ]
    }

    /// Writes the kernelspec (replacing an older one of the same name, atomically per file); returns its folder.
    static func install(name: String, at location: Location) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ZMQ.Failure(description: "kernel name '\(name)': use letters, digits, '-', '_' or '.'")
        }
        let dir = try location.dataDir() + "/kernels/" + name.lowercased()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: json(name: name), options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(data, to: dir + "/kernel.json", op: "kernel install")
        for size in [32, 64] { try AtomicFile.write(try logo(size: size), to: dir + "/logo-\(size)x\(size).png", op: "kernel install") }
        return dir
    }

    /// A square logo: an ECG beat in red on a white rounded card.
    static func logo(size: Int) throws -> Data {
        let c = try Canvas(width: size, height: size)
        let s = Double(size)
        c.fillRect(0, 0, s, s, .white)
        c.strokeRect(1, 1, s - 2, s - 2, Color(hex: 0xD0D0D0), width: 1)
        let beat: [(Double, Double)] = [
            (0.06, 0.6), (0.28, 0.6), (0.34, 0.52), (0.40, 0.6), (0.46, 0.6), (0.51, 0.72), (0.56, 0.16), (0.62, 0.84), (0.67, 0.6),
            (0.76, 0.6), (0.83, 0.46), (0.90, 0.6), (0.94, 0.6)
        ]
        c.polyline(beat.map { ($0.0 * s, $0.1 * s) }, Color(hex: 0xC62828), width: max(1.5, s / 20))
        return try PNGCodec.encode(width: size, height: size, rgba: c.rgba(), dpi: 72, text: [("Software", "ecgs")])
    }
}

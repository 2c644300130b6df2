import DSL
import Engine
import Foundation

/// What one notebook run recorded with `glue(name, value)`, with the parameters it was given: written by
/// `ecgs notebook` beside its first output (`report.ipynb` → `report.results.json`, atomically) and read
/// back by `ecgs sweep`. Values are numbers (NaN as null), booleans or strings.
public struct GluedResults {
    public enum Entry: Equatable, Sendable {
        case number(Double)
        case bool(Bool)
        case text(String)

        /// The value when it is a number.
        public var number: Double? { if case .number(let x) = self { return x }; return nil }

        /// The table cell (booleans as pandas writes them).
        public var cell: Table.Cell {
            switch self {
            case .number(let x): return .number(x)
            case .bool(let b): return .text(b ? "True" : "False")
            case .text(let s): return .text(s)
            }
        }
    }

    public var parameters: [(name: String, value: String)]
    public var values: [(name: String, value: Entry)]
    /// Whether a cell of the run failed (what was glued before it is kept).
    public var failed: Bool

    public init(parameters: [(name: String, value: String)], values: [(name: String, value: Value)], failed: Bool) {
        self.parameters = parameters
        self.values = values.compactMap { name, v in
            switch v {
            case .number(let x): return (name, .number(x))
            case .bool(let b): return (name, .bool(b))
            case .string(let s): return (name, .text(s))
            default: return nil // glue accepts nothing else
            }
        }
        self.failed = failed
    }

    public static func path(forNotebook output: String) -> String { (output as NSString).deletingPathExtension + ".results.json" }

    public func write(to path: String) throws {
        // [name, kind, value]: the kind keeps booleans apart from numbers (JSON readers on Linux do not).
        func json(_ e: Entry) -> [Any] {
            switch e {
            case .number(let x): return ["number", x.isFinite ? x : NSNull()]
            case .bool(let b): return ["bool", b]
            case .text(let s): return ["text", s]
            }
        }
        let doc: [String: Any] = [
            "parameters": [[String]](parameters.map { [$0.name, $0.value] }),
            "results": [[Any]](values.map { [$0.name] + json($0.value) }),
            "failed": failed
        ]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(data, to: path, op: "glue")
    }

    /// Reads a results file; errors name the file and what is wrong with it.
    public static func read(_ path: String) throws -> GluedResults {
        guard let data = FileManager.default.contents(atPath: path) else { throw EngineError("sweep", "cannot read '\(path)'") }
        guard let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let params = doc["parameters"] as? [[String]], params.allSatisfy({ $0.count == 2 }),
            let results = doc["results"] as? [[Any]], results.allSatisfy({ $0.count == 3 && $0[0] is String && $0[1] is String })
        else { throw EngineError("sweep", "\(path): not a results file of `ecgs notebook` (parameters, results, failed)") }
        var r = GluedResults(parameters: params.map { ($0[0], $0[1]) }, values: [], failed: doc["failed"] as? Bool ?? false)
        for item in results {
            let name = item[0] as! String, kind = item[1] as! String
            switch (kind, item[2]) {
            case ("number", is NSNull): r.values.append((name, .number(.nan)))
            case ("number", let n as NSNumber): r.values.append((name, .number(n.doubleValue)))
            case ("bool", let n as NSNumber): r.values.append((name, .bool(n.boolValue)))
            case ("text", let s as String): r.values.append((name, .text(s)))
            default: throw EngineError("sweep", "\(path): the value of '\(name)' is not a \(kind)")
            }
        }
        return r
    }
}

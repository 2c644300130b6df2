import Foundation

/// One row of PTB-XL's `scp_statements.csv`: which benchmark tasks an SCP code belongs to.
public struct SCPStatement: Equatable, Sendable {
    public var code: String
    public var description: String
    public var diagnostic: Bool
    public var form: Bool
    public var rhythm: Bool
    public var diagnosticClass: String
    public var diagnosticSubclass: String

    public init(
        code: String, description: String, diagnostic: Bool = false, form: Bool = false, rhythm: Bool = false,
        diagnosticClass: String = "", diagnosticSubclass: String = ""
    ) {
        self.code = code
        self.description = description
        self.diagnostic = diagnostic
        self.form = form
        self.rhythm = rhythm
        self.diagnosticClass = diagnosticClass
        self.diagnosticSubclass = diagnosticSubclass
    }

    static let csvHeader = ["", "description", "diagnostic", "form", "rhythm", "diagnostic_class", "diagnostic_subclass"]

    /// Reads `scp_statements.csv` (code in the first, unnamed column).
    public static func read(_ path: String) throws -> [String: SCPStatement] {
        let csv = try CSVFile.read(path, op: "ptbxl")
        let d = try csv.column("diagnostic", op: "ptbxl"), f = try csv.column("form", op: "ptbxl")
        let r = try csv.column("rhythm", op: "ptbxl"), dc = try csv.column("diagnostic_class", op: "ptbxl")
        let ds = try csv.column("diagnostic_subclass", op: "ptbxl")
        let desc = csv.header.firstIndex(of: "description")
        func flag(_ s: String) -> Bool { (Double(s) ?? 0) == 1 }
        var out: [String: SCPStatement] = [:]
        for i in csv.rows.indices {
            let code = csv.field(i, 0)
            if code.isEmpty { continue }
            out[code] = SCPStatement(
                code: code, description: desc.map { csv.field(i, $0) } ?? "",
                diagnostic: flag(csv.field(i, d)), form: flag(csv.field(i, f)), rhythm: flag(csv.field(i, r)),
                diagnosticClass: csv.field(i, dc), diagnosticSubclass: csv.field(i, ds))
        }
        return out
    }

    var csvRow: [String] {
        [code, description, diagnostic ? "1.0" : "", form ? "1.0" : "", rhythm ? "1.0" : "", diagnosticClass, diagnosticSubclass]
    }
}

public enum SCPCodes {
    public static func parse(_ text: String, place: String) throws -> [(code: String, likelihood: Double)] {
        var chars = Array(text.unicodeScalars)
        var i = 0
        func fail(_ what: String) -> EngineError {
            EngineError("ptbxl", "\(place): scp_codes '\(text)': \(what) at character \(i + 1)")
        }
        func skipSpace() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }
        skipSpace()
        guard i < chars.count, chars[i] == "{" else { throw fail("expected '{'") }
        i += 1
        var out: [(String, Double)] = []
        skipSpace()
        if i < chars.count, chars[i] == "}" { i += 1; skipSpace(); if i != chars.count { throw fail("text after '}'") }; return [] }
        while true {
            skipSpace()
            guard i < chars.count, chars[i] == "'" || chars[i] == "\"" else { throw fail("expected a quoted code") }
            let q = chars[i]; i += 1
            var key = ""
            while i < chars.count, chars[i] != q {
                if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                key.unicodeScalars.append(chars[i]); i += 1
            }
            guard i < chars.count else { throw fail("unterminated string") }
            i += 1
            skipSpace()
            guard i < chars.count, chars[i] == ":" else { throw fail("expected ':'") }
            i += 1
            skipSpace()
            var num = ""
            while i < chars.count, "0123456789.eE+-".unicodeScalars.contains(chars[i]) { num.unicodeScalars.append(chars[i]); i += 1 }
            guard let v = Double(num) else { throw fail("expected a number") }
            out.append((key, v))
            skipSpace()
            guard i < chars.count else { throw fail("missing '}'") }
            if chars[i] == "," { i += 1; skipSpace(); if i < chars.count, chars[i] == "}" { i += 1; break }; continue }
            if chars[i] == "}" { i += 1; break }
            throw fail("expected ',' or '}'")
        }
        skipSpace()
        if i != chars.count { throw fail("text after '}'") }
        chars = []
        return out
    }

    /// Formats codes as PTB-XL writes them.
    public static func format(_ codes: [(String, Double)]) -> String {
        "{" + codes.map { "'\($0.0)': \(String(format: "%.1f", $0.1))" }.joined(separator: ", ") + "}"
    }
}

import CSV
import Foundation

/// A CSV file read whole: the header row and the data rows (RFC 4180 quoting, via CSV.swift).
public struct CSVFile: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// Where it was read from, for messages.
    public var source: String

    public init(header: [String], rows: [[String]], source: String = "table") {
        self.header = header
        self.rows = rows
        self.source = source
    }

    public static func read(_ path: String, op: String = "csv") throws -> CSVFile {
        try parse(WFDB.readFile(path, op: op), source: path, op: op)
    }

    /// Parses the bytes of a CSV file; `path` names it in errors.
    public static func parse(_ data: Data, source path: String, op: String = "csv") throws -> CSVFile {
        guard let text = String(data: data, encoding: .utf8) else { throw EngineError(op, "\(path): not UTF-8 text") }
        do {
            let reader = try CSVReader(string: text, hasHeaderRow: true)
            guard let header = reader.headerRow else { throw EngineError(op, "\(path): no header row") }
            var rows: [[String]] = []
            while let row = reader.next() { rows.append(row) }
            if let e = reader.error { throw EngineError(op, "\(path): row \(rows.count + 2): \(e)") }
            return CSVFile(header: header, rows: rows, source: path)
        } catch let e as EngineError { throw e } catch {
            throw EngineError(op, "\(path): cannot parse as CSV (\(error))")
        }
    }

    /// Index of `name`; the error names the file and the columns it has.
    public func column(_ name: String, op: String = "csv") throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw EngineError(op, "\(source): no column '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
        return i
    }

    /// Field `c` of row `r`, empty when the row is short.
    public func field(_ r: Int, _ c: Int) -> String { c < rows[r].count ? rows[r][c] : "" }

    /// The CSV text (fields quoted when they hold a comma, quote or newline).
    public func text() -> String {
        func quote(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = header.map(quote).joined(separator: ",") + "\n"
        for r in rows { out += r.map(quote).joined(separator: ",") + "\n" }
        return out
    }

    public func write(to path: String, op: String = "save_table") throws {
        try AtomicFile.write(Data(text().utf8), to: path, op: op)
    }
}

import Foundation

/// A small table of results (metrics per class, ablation rows, run comparisons): named columns,
/// rows of numbers or text. Read and written as CSV.
public struct Table: Sendable, Equatable {
    public enum Cell: Sendable, Equatable {
        case number(Double)
        case text(String)

        /// A CSV field: a number when it parses as one, else text.
        public init(parsing field: String) { self = Double(field).map(Cell.number) ?? .text(field) }

        public var number: Double? { if case .number(let v) = self { return v }; return nil }
        public var text: String {
            switch self {
            case .number(let v): return Table.format(v)
            case .text(let s): return s
            }
        }
    }

    public var title: String
    public var columns: [String]
    public var rows: [[Cell]]

    public init(title: String = "", columns: [String], rows: [[Cell]] = []) throws {
        for (i, r) in rows.enumerated() where r.count != columns.count {
            throw EngineError("table", "row \(i) has \(r.count) cells but there are \(columns.count) columns")
        }
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// Column `name` (error lists the columns).
    public func column(_ name: String) throws -> [Cell] {
        guard let i = columns.firstIndex(of: name) else {
            throw EngineError("table", "no column '\(name)' (columns: \(columns.joined(separator: ", ")))")
        }
        return rows.map { $0[i] }
    }

    /// Numbers with 4 significant decimals, integers without a fraction.
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v == v.rounded() && abs(v) < 1e12 { return String(Int64(v)) }
        if abs(v) >= 1e5 || abs(v) < 1e-3 { return String(format: "%.3e", v) }
        return String(format: "%.4f", v)
    }

    /// Reads a CSV file; fields that parse as numbers become numbers.
    public static func read(_ path: String) throws -> Table {
        try Table(csv: CSVFile.read(path, op: "load_table"))
    }

    /// A table of a CSV file's rows (title: its source); fields that parse as numbers become numbers.
    public init(csv: CSVFile) throws {
        let rows = csv.rows.map { r in
            (0..<csv.header.count).map { i -> Cell in
                Cell(parsing: i < r.count ? r[i] : "")
            }
        }
        try self.init(title: csv.source, columns: csv.header, rows: rows)
    }

    /// CSV with every number at full precision (the shortest text that reads back as the same double, as
    /// pandas' `to_csv` writes), not the display's 4 decimals.
    public func write(_ path: String) throws {
        try CSVFile(header: columns, rows: rows.map { $0.map(Self.exact) }).write(to: path, op: "save_table")
    }

    static func exact(_ c: Cell) -> String {
        guard case .number(let v) = c else { return c.text }
        if v.isNaN { return "nan" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// The display text of every cell, one number format per column: when some non-integer in a column needs
    /// scientific notation (below 1e-3 or from 1e5), the column's non-integers all use it.
    public func displayCells() -> [[String]] {
        var cells = rows.map { $0.map(\.text) }
        for i in columns.indices {
            let values = rows.compactMap { $0[i].number }.filter { $0.isFinite && $0 != $0.rounded() }
            guard values.contains(where: { abs($0) < 1e-3 || abs($0) >= 1e5 }), values.contains(where: { abs($0) >= 1e-3 && abs($0) < 1e5 })
            else {
                continue
            }
            for r in rows.indices {
                if let v = rows[r][i].number, v.isFinite, v != v.rounded() { cells[r][i] = String(format: "%.3e", v) }
            }
        }
        return cells
    }

    /// Aligned plain-text rendering.
    public func rendered() -> String {
        let cells = displayCells()
        var widths = columns.map(\.count)
        for r in cells { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ items: [String], numeric: [Bool]) -> String {
            items.enumerated().map { i, s in
                let pad = String(repeating: " ", count: widths[i] - s.count)
                return numeric[i] ? pad + s : s + pad
            }.joined(separator: "  ").trimmingTrailing()
        }
        let numeric = (0..<columns.count).map { i in !rows.isEmpty && rows.allSatisfy { $0[i].number != nil } }
        var out = title.isEmpty ? "" : title + "\n"
        out += line(columns, numeric: numeric) + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for r in cells { out += line(r, numeric: numeric) + "\n" }
        return out
    }
}

extension String {
    func trimmingTrailing() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

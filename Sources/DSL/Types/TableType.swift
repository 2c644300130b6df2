import Engine

/// A table (`ds.counts`, `compare(…)`, `load_table(…)`): columns by name, rows as dicts.
enum TableType {
    static let descriptor = TypeDescriptor(
        "Table",
        {
            if case .table(let t) = $0 { return t }; return nil
        },
        fields: [
            FieldOf("columns", "column names", get: { .list($0.columns.map(Value.string)) }),
            FieldOf("rows", "list of dicts", get: { t in .list(t.rows.map { row(t, $0) }) }),
            FieldOf("title", "title", get: { .string($0.title) })
        ],
        dynamicMember: { t, name in t.columns.contains(name) ? .list(try t.column(name).map(Convert.cell)) : nil },
        dynamicNames: { $0.columns },
        dynamicDocs: [("<column>", "a column as a list")],
        repr: { t in "Table(\(t.rows.count) rows × \(t.columns.count) columns)" },
        block: { $0.rendered() },
        html: HTML.table,
        elements: { t, _, body in for r in t.rows where try !body(row(t, r)) { return } },
        count: { $0.rows.count })

    static func row(_ t: Table, _ cells: [Table.Cell]) -> Value {
        .dict(DictBox(zip(t.columns, cells.map(Convert.cell)).map { ($0, $1) }))
    }
}

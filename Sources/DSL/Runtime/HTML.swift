import Engine

/// HTML forms of values for rich front ends (notebook files, a Jupyter kernel's `text/html`).
public enum HTML {
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A table as pandas shows a DataFrame: caption, header row, numbers right-aligned.
    public static func table(_ t: Table) -> String {
        var h = "<table class=\"df\">" + (t.title.isEmpty ? "" : "<caption>\(escape(t.title))</caption>") + "<thead><tr>"
        h += t.columns.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for (r, texts) in zip(t.rows, t.displayCells()) {
            h +=
                "<tr>"
                + zip(r, texts).map { c, s in c.number != nil ? "<td class=\"n\">\(escape(s))</td>" : "<td>\(escape(s))</td>" }.joined()
            h += "</tr>"
        }
        return h + "</tbody></table>"
    }

    /// A value's HTML, when its type has one (tables and the types shown as tables); nil: plain text only.
    public static func of(_ v: Value) -> String? { v.descriptor.html?(v) }

    /// A first line of text, then a table.
    static func headed(_ text: String, _ table: Table?) -> String {
        "<p>\(escape(text))</p>" + (table.map(HTML.table) ?? "")
    }
}

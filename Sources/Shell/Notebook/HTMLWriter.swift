import DSL
import Engine
import Foundation

/// One self-contained HTML page: styled cells, highlighted ECGScript, outputs, embedded PNGs.
enum HTMLWriter {
    static func esc(_ s: String) -> String { HTML.escape(s) }

    /// Colours code with the DSL's own lexer (`Lexer.highlight`): the same keywords, strings and numbers
    /// the interpreter sees.
    static func highlight(_ code: String) -> String {
        let chars = Array(code)
        var out = "", at = 0
        let classes: [SyntaxSpan.Kind: String] = [.keyword: "k", .string: "s", .number: "m", .comment: "c", .call: "f", .error: "e"]
        for span in Lexer.highlight(code) {
            out += esc(String(chars[at..<span.start]))
            let text = esc(String(chars[span.start..<span.end]))
            out += classes[span.kind].map { "<span class=\"\($0)\">\(text)</span>" } ?? text
            at = span.end
        }
        return out + esc(String(chars[at...]))
    }

    /// A small Markdown subset: headings, paragraphs, bullet and numbered lists, `code`, **bold**,
    /// *italic*, [links](url), fenced code.
    static func markdown(_ text: String) -> String {
        var html = "", para: [String] = [], list: [String] = [], ordered = false, code: [String]? = nil
        func inline(_ s: String) -> String {
            var r = esc(s)
            r = r.replacingOccurrences(of: #"`([^`]+)`"#, with: "<code>$1</code>", options: .regularExpression)
            r = r.replacingOccurrences(of: #"\*\*([^*]+)\*\*"#, with: "<strong>$1</strong>", options: .regularExpression)
            r = r.replacingOccurrences(of: #"(^|[^*])\*([^*]+)\*"#, with: "$1<em>$2</em>", options: .regularExpression)
            r = r.replacingOccurrences(of: #"\[([^\]]+)\]\(([^)]+)\)"#, with: "<a href=\"$2\">$1</a>", options: .regularExpression)
            return r
        }
        func flush() {
            if !para.isEmpty { html += "<p>" + inline(para.joined(separator: " ")) + "</p>\n"; para = [] }
            if !list.isEmpty {
                let t = ordered ? "ol" : "ul"; html += "<\(t)>" + list.map { "<li>\(inline($0))</li>" }.joined() + "</\(t)>\n"; list = []
            }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                if let c = code {
                    html += "<pre class=\"code\">\(esc(c.joined(separator: "\n")))</pre>\n"; code = nil
                } else {
                    flush(); code = []
                }
                continue
            }
            if code != nil { code!.append(line); continue }
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { flush(); continue }
            if let h = t.firstIndex(where: { $0 != "#" }), t.hasPrefix("#"), t[h] == " " {
                flush()
                let level = min(6, t.distance(from: t.startIndex, to: h))
                html += "<h\(level)>\(inline(String(t[h...]).trimmingCharacters(in: .whitespaces)))</h\(level)>\n"
            } else if t.hasPrefix("- ") || t.hasPrefix("* ") {
                if !para.isEmpty || (ordered && !list.isEmpty) { flush() }
                ordered = false; list.append(String(t.dropFirst(2)))
            } else if let dot = t.firstIndex(of: "."), t[..<dot].allSatisfy(\.isNumber), !t[..<dot].isEmpty,
                t[t.index(after: dot)...].hasPrefix(" ")
            {
                if !para.isEmpty || (!ordered && !list.isEmpty) { flush() }
                ordered = true; list.append(String(t[t.index(dot, offsetBy: 2)...]))
            } else {
                if !list.isEmpty { flush() }
                para.append(t)
            }
        }
        if let c = code { html += "<pre class=\"code\">\(esc(c.joined(separator: "\n")))</pre>\n" }
        flush()
        return html
    }

    static let style = """
        body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
        h1,h2,h3{line-height:1.2} .cell{margin:1.2em 0} .md{margin:1em 0}
        .in{display:flex;gap:.6em}
        .prompt{color:#307fc1;font-family:monospace;min-width:4.5em;text-align:right;padding-top:.55em;font-size:.9em}
        .out .prompt{color:#d84315}
        pre{margin:0;white-space:pre-wrap;word-break:break-word;font-family:"DejaVu Sans Mono",monospace;font-size:.86em}
        pre.src{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;padding:.5em .7em;flex:1}
        .o{flex:1;padding:.3em .7em;overflow-x:auto} .o img{max-width:100%;height:auto;border:1px solid #eee}
        .stderr pre{background:#fff5f5}
        .err pre{background:#fdecea;color:#8a1c1c;padding:.5em .7em;border-radius:4px}
        .time{color:#888;font-size:.75em;margin-left:5.1em}
        .k{color:#a626a4;font-weight:bold} .s{color:#50a14f} .m{color:#986801} .c{color:#a0a1a7;font-style:italic} .f{color:#4078f2}
        .e{color:#e45649;text-decoration:underline wavy}
        table.df{border-collapse:collapse;font-size:.85em;margin:.3em 0}
        table.df th,table.df td{border-bottom:1px solid #ddd;padding:.2em .7em;text-align:left}
        table.df td.n{text-align:right;font-variant-numeric:tabular-nums} table.df caption{text-align:left;color:#555;font-size:.9em}
        pre.code{background:#f6f8fa;padding:.5em;border-radius:4px}
        """

    static func render(_ results: [CellResult], title: String) -> String {
        var body = ""
        for r in results {
            if r.cell.kind == .markdown { body += "<div class=\"md\">\(markdown(r.cell.source))</div>\n"; continue }
            let n = r.executionCount.map(String.init) ?? " "
            body +=
                "<div class=\"cell\"><div class=\"in\"><div class=\"prompt\">In [\(n)]:</div><pre "
                + "class=\"src\">\(highlight(r.cell.source))</pre></div>\n"
            if r.executionCount != nil { body += "<div class=\"time\">\(String(format: "%.2f", r.seconds)) s</div>\n" }
            for o in r.outputs {
                switch o {
                case .stream(let s):
                    body += "<div class=\"in out\"><div class=\"prompt\"></div><div class=\"o\"><pre>\(esc(s))</pre></div></div>\n"
                case .stderr(let s):
                    body += "<div class=\"in out\"><div class=\"prompt\"></div><div class=\"o stderr\"><pre>\(esc(s))</pre></div></div>\n"
                case .value(let t, let html):
                    body +=
                        "<div class=\"in out\"><div class=\"prompt\">Out[\(n)]:</div><div "
                        + "class=\"o\">\(html ?? "<pre>\(esc(t))</pre>")</div></div>\n"
                case .figure(let png, let t, let w, let h):
                    body +=
                        "<div class=\"in out\"><div class=\"prompt\"></div><div class=\"o\"><img alt=\"\(esc(t))\" width=\"\(w)\" "
                        + "height=\"\(h)\" src=\"data:image/png;base64,\(png.base64EncodedString())\"></div></div>\n"
                case .error(_, let rendered):
                    body +=
                        "<div class=\"in out err\"><div class=\"prompt\"></div><div class=\"o\"><pre>\(esc(rendered))</pre></div></div>\n"
                }
            }
            body += "</div>\n"
        }
        return
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
            + "initial-scale=1\">"
            + "<meta name=\"generator\" "
            + "content=\"ecgs\"><title>\(esc(title))</title><style>\(style)</style></head>\n<body>\n\(body)</body></html>\n"
    }
}

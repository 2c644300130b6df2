import Foundation
import Testing
@testable import Shell
import DSL

/// The cell splitter and the three notebook writers, on hand-made cells (no replay).
@Suite struct NotebookWriterTests {
    @Test func cellsSplitAtPercentMarkers() {
        let script = "x = 1\n\n# %% Load\ny = 2\n\n\n# %% [markdown]\n# # Title\n#\n# text\n# %%\n\n# %% [md]\n# more\n"
        let cells = Cell.split(script)
        #expect(cells.map(\.kind) == [.code, .code, .markdown, .markdown])
        #expect(cells.map(\.title) == ["", "Load", "", ""])
        #expect(cells.map(\.source) == ["x = 1", "y = 2", "# Title\n\ntext", "more"])
        #expect(cells.map(\.line) == [1, 4, 8, 14])
        #expect(Cell.split("").isEmpty && Cell.split("\n\n# %%\n\n").isEmpty)
        #expect(Cell.split("a = 1\r\n# %% B\r\nb = 2\r\n").map(\.source) == ["a = 1", "b = 2"])
    }

    static var results: [CellResult] {
        var md = CellResult(cell: Cell(kind: .markdown, title: "", source: "# Report\nSome *text* and `code`.", line: 1))
        md.executionCount = nil
        var code = CellResult(cell: Cell(kind: .code, title: "", source: "x = len(\"a<b\") # count", line: 3))
        code.executionCount = 1
        code.seconds = 0.25
        code.outputs = [.stream("hello\n"), .value(text: "3", html: nil), .error(message: "boom", rendered: "t:1:1: error: boom\n")]
        code.failed = true
        return [md, code]
    }

    @Test func ipynbIsNbformat45() throws {
        let data = try IpynbWriter.data(Self.results, title: "t")
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(doc["nbformat"] as? Int == 4 && doc["nbformat_minor"] as? Int == 5)
        let cells = try #require(doc["cells"] as? [[String: Any]])
        #expect(cells.map { $0["cell_type"] as? String } == ["markdown", "code"])
        #expect(cells[1]["execution_count"] as? Int == 1)
        #expect(cells.allSatisfy { ($0["id"] as? String)?.isEmpty == false })
        let outputs = try #require(cells[1]["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["output_type"] as? String } == ["stream", "execute_result", "error"])
        #expect((cells[1]["source"] as? [String]) == ["x = len(\"a<b\") # count"])
    }

    @Test func htmlEscapesAndHighlightsWithTheLexer() {
        let html = HTMLWriter.render(Self.results, title: "t<1>")
        #expect(html.contains("<title>t&lt;1&gt;</title>"))
        #expect(html.contains("<h1>Report</h1>") && html.contains("<em>text</em>") && html.contains("<code>code</code>"))
        #expect(html.contains("<span class=\"f\">len</span>(<span class=\"s\">&quot;a&lt;b&quot;</span>) <span class=\"c\"># count</span>"))
        #expect(html.contains("In [1]:") && html.contains("0.25 s") && html.contains("t:1:1: error: boom"))
        #expect(!html.contains("a<b"))
    }

    @Test func markdownKeepsCellsAndOutputs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-md-\(getpid())").path
        let md = try MarkdownWriter.render(Self.results, figureDir: dir, figureLink: "x_files")
        #expect(md.hasPrefix("# Report\nSome *text* and `code`."))
        #expect(md.contains("```\nx = len(\"a<b\") # count\n```") || md.contains("x = len(\"a<b\") # count"))
        #expect(md.contains("hello") && md.contains("boom"))
    }
}

import DSL
import Engine
import Foundation

/// One output of a code cell, in the order it happened.
enum CellOutput {
    case stream(String)
    case stderr(String)
    case value(text: String, html: String?)
    case figure(png: Data, title: String, width: Int, height: Int)
    case error(message: String, rendered: String)
}

/// A replayed cell: its source, outputs, execution count and wall time.
struct CellResult {
    var cell: Cell
    var outputs: [CellOutput] = []
    var executionCount: Int?
    var seconds: Double = 0
    var started: Date = Date()
    var failed = false
}

/// Collects a cell's output for the notebook (and echoes progress to stderr so long runs are visible).
struct NotebookRunner {
    var path: String
    var allowErrors: Bool
    /// Per-cell time limit in seconds (the cell is interrupted at the next batch or loop iteration).
    var timeout: Double?
    var echo = true
    /// Values from `--param NAME=VALUE`, run as a cell right after the cell titled "Parameters"
    /// (papermill's convention), as ECGScript assignments.
    var parameters: [(name: String, value: String)] = []
    /// The command-line option the parameters came from, for messages (`--grid` in a sweep).
    var option = "--param"
    /// The folder the notebook is written to, as the global `NOTEBOOK_OUTPUT` (notebooks put their files
    /// there, so that `-o elsewhere/x.html` keeps them out of the repository).
    var outputDir = "."

    /// The cells of `script`, with the parameter cell injected after the "Parameters" cell. Fails when
    /// parameters are given but there is no such cell, or a name is not assigned in it.
    func cells(_ script: String) throws -> [Cell] {
        var cells = Cell.split(script)
        guard !parameters.isEmpty else { return cells }
        guard let i = cells.firstIndex(where: { $0.kind == .code && $0.title.lowercased() == "parameters" }) else {
            throw NotebookError("\(option) given, but \(path) has no '# %% Parameters' cell to override")
        }
        let assigned: [String]
        do { assigned = try Interpreter.assignedNames(cells[i].source) } catch {
            throw NotebookError("the Parameters cell of \(path) does not parse: \(error)")
        }
        for p in parameters where !assigned.contains(p.name) {
            throw NotebookError(
                "\(option) \(p.name): the Parameters cell of \(path) does not set '\(p.name)'" + didYouMean(p.name, among: assigned))
        }
        let source = parameters.map { "\($0.name) = \(Self.literal($0.value))" }.joined(separator: "\n")
        cells.insert(Cell(kind: .code, title: "Injected parameters", source: source, line: cells[i].line), at: i + 1)
        return cells
    }

    /// A command-line value as an ECGScript literal: numbers, true/false and list or dict literals (of
    /// literals only) as they are, anything else a string.
    static func literal(_ v: String) -> String {
        if Double(v) != nil || v == "true" || v == "false" { return v }
        if (v.hasPrefix("[") || v.hasPrefix("{")) && Interpreter.isLiteral(v) { return v }
        return Display.repr(.string(v))
    }

    /// Runs the cells; returns each cell's result and the values the script recorded with `glue`.
    func run(_ script: String) throws -> (cells: [CellResult], glued: [(name: String, value: Value)]) {
        let sink = CaptureSink(echo: echo)
        let interp = Interpreter(sink: sink)
        interp.showsEveryExpression = false // a cell shows its last expression's value, as in Jupyter
        interp.setGlobal("NOTEBOOK_OUTPUT", .string(outputDir))
        var deadline: Date?
        interp.shouldStop = {
            if Interrupt.isRequested { return true }
            if let d = deadline, Date() > d { return true }
            return false
        }
        var results: [CellResult] = []
        var count = 0
        var stopped = false
        for cell in try cells(script) {
            var r = CellResult(cell: cell)
            if cell.kind == .markdown || stopped { results.append(r); continue }
            count += 1
            r.executionCount = count
            if echo {
                FileHandle.standardError.write(Data("[\(count)] \(cell.title.isEmpty ? "cell at line \(cell.line)" : cell.title)\n".utf8))
            }
            sink.outputs = []
            deadline = timeout.map { Date().addingTimeInterval($0) }
            let t0 = Date()
            r.started = t0
            let outcome = interp.execute(cell.source, file: path, line: cell.line)
            r.seconds = Date().timeIntervalSince(t0)
            r.outputs = sink.outputs
            if var d = outcome.diagnostic {
                if d.kind == .interrupted, let dl = deadline, Date() > dl {
                    d.kind = .timeout
                    d.message = "cell timed out after \(Int(timeout ?? 0)) s"
                }
                let rendered = d.render(file: path, source: script)
                r.outputs.append(.error(message: d.message, rendered: rendered))
                if echo { FileHandle.standardError.write(Data(rendered.utf8)) } // the failing cell's place and message on the terminal too
                r.failed = true
                if !allowErrors { stopped = true }
            }
            if Interrupt.isRequested { stopped = true }
            results.append(r)
        }
        return (results, interp.glued)
    }
}

import ArgumentParser
import DSL
import Engine
import Foundation

/// `ecgs notebook SCRIPT -o OUT…`: replays a script cell by cell and writes the notebook.
struct Notebook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a script cell by cell (# %% cells) and write a notebook (.ipynb, .html or .md).")
    @Argument(help: "Script path.") var script: String
    @Option(name: .shortAndLong, help: "Output files (.ipynb, .html, .md); repeat for several.") var output: [String]
    @Flag(help: "Keep going after a failing cell (its error is recorded).") var allowErrors = false
    @Option(help: "Per-cell time limit in seconds.") var timeout: Double?
    @Option(
        name: [.customShort("p"), .long],
        help: ArgumentHelp(
            "Override a value of the '# %% Parameters' cell (papermill's -p); numbers and true/false stay numbers, anything else "
                + "is a string.",
            valueName: "NAME=VALUE"))
    var param: [String] = []

    func run() throws {
        Interrupt.install()
        guard !output.isEmpty else { throw ValidationError("give at least one output with -o (.ipynb, .html or .md)") }
        for o in output where ![".ipynb", ".html", ".md"].contains(where: { o.lowercased().hasSuffix($0) }) {
            throw ValidationError("'\(o)': the output must end in .ipynb, .html or .md")
        }
        guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
            throw ValidationError("cannot read script '\(script)'")
        }
        let t0 = Date()
        var runner = NotebookRunner(path: script, allowErrors: allowErrors, timeout: timeout)
        let firstDir = (output[0] as NSString).deletingLastPathComponent
        runner.outputDir = firstDir.isEmpty ? "." : firstDir
        for p in param {
            let parts = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let first = parts[0].first, first.isLetter || first == "_",
                parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
            else {
                throw ValidationError("--param '\(p)': expected NAME=VALUE with NAME a variable name")
            }
            runner.parameters.append((parts[0], parts[1]))
        }
        let results: [CellResult], glued: [(name: String, value: Value)]
        do { (results, glued) = try runner.run(text) } catch let e as NotebookError { throw ValidationError(e.description) }
        let title = ((script as NSString).lastPathComponent as NSString).deletingPathExtension
        for o in output {
            let dir = (o as NSString).deletingLastPathComponent
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            let data: Data
            if o.hasSuffix(".ipynb") {
                data = try IpynbWriter.data(results, title: title)
            } else if o.hasSuffix(".html") {
                data = Data(HTMLWriter.render(results, title: title).utf8)
            } else {
                let base = (o as NSString).deletingPathExtension
                let link = ((base as NSString).lastPathComponent) + "_files"
                data = Data(try MarkdownWriter.render(results, figureDir: base + "_files", figureLink: link).utf8)
            }
            try AtomicFile.write(data, to: o, op: "notebook")
            print("wrote \(o)")
        }
        let failed = results.filter(\.failed).count
        if !glued.isEmpty {
            let path = GluedResults.path(forNotebook: output[0])
            try GluedResults(parameters: runner.parameters, values: glued, failed: failed > 0).write(to: path)
            print("wrote \(path) (\(glued.count) glued \(glued.count == 1 ? "value" : "values"))")
        }
        let code = results.filter { $0.executionCount != nil }.count
        print(String(format: "%d code cells, %d failed, %.1f s", code, failed, Date().timeIntervalSince(t0)))
        if Interrupt.isRequested { throw ExitCode(130) }
        if failed > 0 && !allowErrors { throw ExitCode(1) }
    }
}

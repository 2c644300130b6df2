import ArgumentParser
import DSL
import Engine
import Foundation

/// The `ecgs` command line: the REPL (no arguments), `run`, `notebook`, and engine utilities.
struct Ecgs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecgs",
        abstract: "Adapt ECG foundation models: ECGScript REPL, scripts and notebooks; Net1D (ECGFounder), PTB-XL, post-training.",
        subcommands: [Repl.self, RunScript.self, Notebook.self, Info.self, Summary.self, Convert.self],
        defaultSubcommand: Repl.self)
}

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "repl", abstract: "Start the interactive prompt (the default).")
    @Option(help: "History file (default: $ECGS_HISTORY or ~/.ecgs_history).")
    var history: String?

    func run() throws {
        Interrupt.install()
        let path = history ?? ProcessInfo.processInfo.environment["ECGS_HISTORY"] ?? (NSHomeDirectory() + "/.ecgs_history")
        let status = REPL(historyPath: path).run()
        if status != 0 { throw ExitCode(status) }
    }
}

struct RunScript: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run an .ecgs script; exits 1 on the first error.")
    @Argument(help: "Script path.") var script: String
    @Argument(parsing: .captureForPassthrough, help: "Arguments, available to the script as ARGS.") var args: [String] = []

    func run() throws {
        Interrupt.install()
        guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
            throw ValidationError("cannot read script '\(script)'")
        }
        let dir = (script as NSString).deletingLastPathComponent
        let sink = TerminalSink(figureDir: (dir.isEmpty ? "." : dir) + "/ecgs-figures")
        let interp = Interpreter(sink: sink)
        interp.shouldStop = { Interrupt.isRequested }
        interp.setGlobal("ARGS", .list(ListBox(args.map(Value.string))))
        let out = interp.execute(text, file: script)
        sink.clearProgress()
        if let d = out.diagnostic {
            FileHandle.standardError.write(Data(d.render(file: script, source: text, style: TerminalStyle.diagnostic(enabled: sink.color && isatty(STDERR_FILENO) != 0)).utf8))
            throw ExitCode(1)
        }
    }
}

struct Notebook: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Replay a script cell by cell (# %% cells) and write a notebook (.ipynb, .html or .md).")
    @Argument(help: "Script path.") var script: String
    @Option(name: .shortAndLong, help: "Output files (.ipynb, .html, .md); repeat for several.") var output: [String]
    @Flag(help: "Keep going after a failing cell (its error is recorded).") var allowErrors = false
    @Option(help: "Per-cell time limit in seconds.") var timeout: Double?
    @Option(name: [.customShort("p"), .long], help: ArgumentHelp("Override a value of the '# %% Parameters' cell (papermill's -p); numbers and true/false stay numbers, anything else is a string.", valueName: "NAME=VALUE"))
    var param: [String] = []

    func run() throws {
        Interrupt.install()
        guard !output.isEmpty else { throw ValidationError("give at least one output with -o (.ipynb, .html or .md)") }
        for o in output where ![".ipynb", ".html", ".md"].contains(where: { o.lowercased().hasSuffix($0) }) {
            throw ValidationError("'\(o)': the output must end in .ipynb, .html or .md")
        }
        guard let text = try? String(contentsOfFile: script, encoding: .utf8) else { throw ValidationError("cannot read script '\(script)'") }
        let t0 = Date()
        var runner = NotebookRunner(path: script, allowErrors: allowErrors, timeout: timeout)
        for p in param {
            let parts = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let first = parts[0].first, first.isLetter || first == "_",
                  parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ValidationError("--param '\(p)': expected NAME=VALUE with NAME a variable name")
            }
            runner.parameters.append((parts[0], parts[1]))
        }
        let results: [CellResult]
        do { results = try runner.run(text) } catch let e as NotebookError { throw ValidationError(e.description) }
        let title = ((script as NSString).lastPathComponent as NSString).deletingPathExtension
        for o in output {
            let dir = (o as NSString).deletingLastPathComponent
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            let data: Data
            if o.hasSuffix(".ipynb") { data = try IpynbWriter.data(results, title: title) }
            else if o.hasSuffix(".html") { data = Data(HTMLWriter.render(results, title: title).utf8) }
            else {
                let base = (o as NSString).deletingPathExtension
                let link = ((base as NSString).lastPathComponent) + "_files"
                data = Data(try MarkdownWriter.render(results, figureDir: base + "_files", figureLink: link).utf8)
            }
            try AtomicFile.write(data, to: o, op: "notebook")
            print("wrote \(o)")
        }
        let failed = results.filter(\.failed).count
        let code = results.filter { $0.executionCount != nil }.count
        print(String(format: "%d code cells, %d failed, %.1f s", code, failed, Date().timeIntervalSince(t0)))
        if Interrupt.isRequested { throw ExitCode(130) }
        if failed > 0 && !allowErrors { throw ExitCode(1) }
    }
}

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the BLAS kernel and threads ecgs uses.")

    func run() throws {
        print("ecgs engine")
        print("  BLAS core:        \(BLAS.coreDescription)")
        print("  element-wise:     \(Parallel.workers) workers")
        print("  presets:          \(Net1DConfig.presetNames.joined(separator: ", "))")
    }
}

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load a Net1D checkpoint (.pth or .safetensors) and print its layer table.")
    @Argument(help: "Checkpoint path (torch.save zip .pth/.pt, or .safetensors).") var path: String

    func run() throws {
        let model = try ModelIO.loadNet1D(path: path)
        print(model.config.description)
        print(Display.block(.model(model)), terminator: "")
    }
}

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Convert a Net1D checkpoint to .safetensors (loadable with safetensors.torch.load_file).")
    @Argument(help: "Input checkpoint (.pth/.pt or .safetensors).") var input: String
    @Argument(help: "Output path ending in .safetensors.") var output: String
    @Option(help: "Replace the head with a new one of this many classes.") var classes: Int?
    @Option(help: "Seed for a replaced head's initialisation.") var seed: UInt64 = 0

    func run() throws {
        let model = try ModelIO.loadNet1D(path: input, classes: classes, seed: seed)
        try ModelIO.save(model, path: output)
        print("wrote \(output) (\(model.parameterCount) parameters, \(model.classes) classes)")
    }
}

// Engine errors are user-facing messages: print them plainly and exit 1.
do {
    var command = try Ecgs.parseAsRoot()
    try command.run()
} catch let error as EngineError {
    FileHandle.standardError.write(Data("ecgs: error: \(error)\n".utf8))
    exit(1)
} catch {
    Ecgs.exit(withError: error)
}

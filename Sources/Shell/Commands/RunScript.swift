import ArgumentParser
import DSL
import Foundation

/// `ecgs run SCRIPT [ARGS…]`: a script, stopping at its first error.
struct RunScript: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run an .ecgs script; exits 1 on the first error.")
    @Option(help: "Folder for figures shown without to= (default: $ECGS_FIGURES, else ecgs-figures next to the script).")
    var figures: String?
    @Argument(help: "Script path.") var script: String
    @Argument(parsing: .captureForPassthrough, help: "Arguments, available to the script as ARGS.") var args: [String] = []

    func run() throws {
        Interrupt.install()
        guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
            throw ValidationError("cannot read script '\(script)'")
        }
        let dir = (script as NSString).deletingLastPathComponent
        let figureDir = figures ?? ProcessInfo.processInfo.environment["ECGS_FIGURES"] ?? ((dir.isEmpty ? "." : dir) + "/ecgs-figures")
        let sink = TerminalSink(figureDir: figureDir)
        let interp = Interpreter(sink: sink)
        interp.shouldStop = { Interrupt.isRequested }
        interp.setGlobal("ARGS", .list(ListBox(args.map(Value.string))))
        let out = interp.execute(text, file: script)
        sink.clearProgress()
        if let d = out.diagnostic {
            FileHandle.standardError.write(
                Data(
                    d.render(file: script, source: text, style: TerminalStyle.diagnostic(enabled: sink.color && isatty(STDERR_FILENO) != 0))
                        .utf8))
            throw ExitCode(1)
        }
    }
}

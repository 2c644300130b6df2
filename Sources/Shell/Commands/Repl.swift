import ArgumentParser
import Foundation

/// `ecgs` / `ecgs repl`: the interactive prompt.
struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "repl", abstract: "Start the interactive prompt (the default).")
    @Option(help: "History file (default: $ECGS_HISTORY or ~/.ecgs_history).")
    var history: String?
    @Option(help: "Folder for figures shown without to= (default: $ECGS_FIGURES or ./ecgs-figures).")
    var figures: String?

    func run() throws {
        Interrupt.install()
        let path = history ?? ProcessInfo.processInfo.environment["ECGS_HISTORY"] ?? (NSHomeDirectory() + "/.ecgs_history")
        let dir =
            figures ?? ProcessInfo.processInfo.environment["ECGS_FIGURES"] ?? (FileManager.default.currentDirectoryPath + "/ecgs-figures")
        let status = REPL(historyPath: path, figureDir: dir).run()
        if status != 0 { throw ExitCode(status) }
    }
}

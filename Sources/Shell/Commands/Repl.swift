import ArgumentParser
import Foundation

/// `ecgs` / `ecgs repl`: the interactive prompt.
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

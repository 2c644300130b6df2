import ArgumentParser
import Foundation

/// The `ecgs` command line: the REPL (no arguments), `run`, `notebook`, and engine utilities.
struct Ecgs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecgs",
        abstract: "Adapt ECG foundation models: ECGScript REPL, scripts and notebooks; Net1D (ECGFounder), PTB-XL, post-training.",
        subcommands: [Repl.self, RunScript.self, Notebook.self, Sweep.self, Kernel.self, Info.self, Summary.self, Convert.self],
        defaultSubcommand: Repl.self)
}

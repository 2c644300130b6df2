import ArgumentParser
import Engine
import Foundation

/// The `ecgs` command line. The REPL, `run` and `notebook` arrive with the language (issues 6 and 7);
/// until then these subcommands expose the engine directly.
struct Ecgs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecgs",
        abstract: "Adapt ECG foundation models: Net1D (ECGFounder), PyTorch checkpoints, post-training.",
        subcommands: [Info.self, Summary.self, Convert.self])
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

    @Argument(help: "Checkpoint path (torch.save zip .pth/.pt, or .safetensors).")
    var path: String

    func run() throws {
        let model = try ModelIO.loadNet1D(path: path)
        print(model.config.description)
        printTable(model)
    }
}

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Convert a Net1D checkpoint to .safetensors (loadable with safetensors.torch.load_file).")

    @Argument(help: "Input checkpoint (.pth/.pt or .safetensors).")
    var input: String
    @Argument(help: "Output path ending in .safetensors.")
    var output: String
    @Option(help: "Replace the head with a new one of this many classes.")
    var classes: Int?
    @Option(help: "Seed for a replaced head's initialisation.")
    var seed: UInt64 = 0

    func run() throws {
        let model = try ModelIO.loadNet1D(path: input, classes: classes, seed: seed)
        try ModelIO.save(model, path: output)
        print("wrote \(output) (\(model.parameterCount) parameters, \(model.classes) classes)")
    }
}

func printTable(_ model: Net1D) {
    let rows = model.summaryRows
    let w = max(12, rows.map(\.name.count).max() ?? 0)
    let d = max(10, rows.map(\.detail.count).max() ?? 0)
    func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
    print(pad("layer", w) + "  " + pad("what", d) + "  parameters")
    for r in rows { print(pad(r.name, w) + "  " + pad(r.detail, d) + "  " + String(r.parameters)) }
    print(pad("total", w) + "  " + pad("", d) + "  " + String(model.parameterCount))
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

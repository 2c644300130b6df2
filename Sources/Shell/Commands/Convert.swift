import ArgumentParser
import Engine
import Foundation

/// `ecgs convert IN OUT.safetensors`: checkpoint conversion.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a Net1D checkpoint to .safetensors (loadable with safetensors.torch.load_file).")
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

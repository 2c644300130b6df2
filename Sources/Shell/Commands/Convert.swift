import ArgumentParser
import Engine
import Foundation

/// `ecgs convert IN OUT.safetensors`: checkpoint conversion; `ecgs convert NB.ipynb SCRIPT.ecgs`: a Jupyter
/// notebook to a percent script (`ecgs notebook` turns it back).
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a Net1D checkpoint to .safetensors (loadable with safetensors.torch.load_file), "
            + "or a Jupyter notebook (.ipynb) to an ECGScript percent script (.ecgs).")
    @Argument(help: "Input checkpoint (.pth/.pt or .safetensors) or notebook (.ipynb).") var input: String
    @Argument(help: "Output path ending in .safetensors (or .ecgs for a notebook).") var output: String
    @Option(help: "Replace the head with a new one of this many classes.") var classes: Int?
    @Option(help: "Seed for a replaced head's initialisation.") var seed: UInt64 = 0

    func run() throws {
        if input.lowercased().hasSuffix(".ipynb") {
            guard output.hasSuffix(".ecgs") else { throw ValidationError("a notebook converts to an .ecgs script; got '\(output)'") }
            guard let data = FileManager.default.contents(atPath: input) else { throw ValidationError("cannot read '\(input)'") }
            do {
                let script = try IpynbReader.script(from: data, path: input)
                try AtomicFile.write(Data(script.utf8), to: output, op: "convert")
            } catch let e as NotebookError { throw ValidationError(e.description) }
            print("wrote \(output)")
            return
        }
        let model = try ModelIO.loadNet1D(path: input, classes: classes, seed: seed)
        try ModelIO.save(model, path: output)
        print("wrote \(output) (\(model.parameterCount) parameters, \(model.classes) classes)")
    }
}

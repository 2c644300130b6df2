import ArgumentParser
import DSL
import Engine
import Foundation

/// `ecgs summary CHECKPOINT`: a checkpoint's layer table.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load a Net1D checkpoint (.pth or .safetensors) and print its layer table.")
    @Argument(help: "Checkpoint path (torch.save zip .pth/.pt, or .safetensors).") var path: String

    func run() throws {
        let model = try ModelIO.loadNet1D(path: path)
        print(model.config.description)
        print(Display.block(.model(model)), terminator: "")
    }
}

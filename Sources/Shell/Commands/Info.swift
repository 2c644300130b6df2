import ArgumentParser
import Engine
import Foundation

/// `ecgs info`: the engine's BLAS core and threads.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the BLAS kernel and threads ecgs uses.")

    func run() throws {
        print("ecgs engine")
        print("  BLAS core:        \(BLAS.coreDescription)")
        print("  element-wise:     \(Parallel.workers) workers")
        print("  presets:          \(Net1DConfig.presetNames.joined(separator: ", "))")
    }
}

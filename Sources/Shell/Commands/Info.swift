import ArgumentParser
import Engine
import Foundation

/// `ecgs info`: the engine's BLAS core, threads and data-parallel world.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the BLAS kernel, threads and data-parallel world ecgs uses.")

    func run() throws {
        print("ecgs engine")
        print("  BLAS core:        \(BLAS.coreDescription)")
        print("  own kernels:      \(KernelBuild.description)")
        print("  element-wise:     \(Parallel.workers) workers")
        print("  inference:        \(Inference.fixedWeightsDescription)")
        print("  thread binding:   \(ThreadPlacement.summary)")
        print("  presets:          \(Net1DConfig.presetNames.joined(separator: ", "))")
        if let world = Distributed.world {
            print("  world size:       \(world.size) (this is rank \(world.rank); \(world.library))")
        } else {
            print("  world size:       1 (run under mpirun or srun --mpi=pmix for data-parallel training)")
        }
    }
}

import ArgumentParser
import Engine
import Foundation

/// What the `ecgs` executable runs: parses the command line and runs the command. Engine errors are
/// user-facing messages: printed plainly, exit status 1.
///
/// Started by `mpirun` or `srun --mpi=pmix` as one of several ranks, it first joins the data-parallel job
/// (Open MPI): only rank 0 prints (the other ranks' standard output goes to /dev/null) and writes files, and a
/// rank that fails stops every rank with its message (`MPI_Abort`).
public enum EcgsMain {
    public static func run() -> Never {
        let world: Communicator?
        do { world = try Distributed.startIfLaunched() } catch {
            FileHandle.standardError.write(Data("ecgs: error: \(error)\n".utf8))
            exit(1)
        }
        if let world, world.rank != 0 {
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 { dup2(null, STDOUT_FILENO) }
        }
        do {
            var command = try Ecgs.parseAsRoot()
            try command.run()
            Distributed.stop()
            exit(0)
        } catch let error as EngineError {
            world?.abort("\(error)")
            FileHandle.standardError.write(Data("ecgs: error: \(error)\n".utf8))
            exit(1)
        } catch {
            if let world {
                let code = Ecgs.exitCode(for: error)
                let message = Ecgs.message(for: error)
                guard code.isSuccess else {
                    world.abort(message.isEmpty ? "failed with exit status \(code.rawValue) (its error is above)" : message)
                }
                Distributed.stop()
            }
            Ecgs.exit(withError: error)
        }
    }
}

import ArgumentParser
import Engine
import Foundation

/// What the `ecgs` executable runs: parses the command line and runs the command. Engine errors are
/// user-facing messages: printed plainly, exit status 1.
public enum EcgsMain {
    public static func run() -> Never {
        do {
            var command = try Ecgs.parseAsRoot()
            try command.run()
            exit(0)
        } catch let error as EngineError {
            FileHandle.standardError.write(Data("ecgs: error: \(error)\n".utf8))
            exit(1)
        } catch {
            Ecgs.exit(withError: error)
        }
    }
}

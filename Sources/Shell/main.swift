import ArgumentParser
import Engine
import Foundation

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

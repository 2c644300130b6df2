import Foundation

/// Runs a program to its end and hands back its exit status and its standard output and error together.
enum ChildProcess {
    static func run(
        _ executable: String, _ arguments: [String], directory: String, environment: [String: String] = [:],
        timeout: TimeInterval? = nil
    ) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let o = Pipe()
        p.standardOutput = o
        p.standardError = o
        try p.run()
        let killer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        if let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer) }
        let text = String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        killer.cancel()
        return (p.terminationStatus, text)
    }
}

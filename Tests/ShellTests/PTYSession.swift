import Foundation

/// The real `ecgs` binary on a pseudo-terminal, as a user at a terminal sees it: keys go to the
/// master side, output is read back from it. `setsid -c` makes the terminal the child's controlling
/// terminal, so Ctrl-C and Ctrl-D typed on it act as they do for a user.
final class PTYSession {
    let master: Int32
    let process = Process()
    private(set) var output = ""
    private var mark: String.Index

    init(executable: String, arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws {
        // posix_openpt/unlockpt/ptsname, spelt with the Linux calls they wrap (glibc hides them from Swift).
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: CInt = 0, number: CUnsignedInt = 0
        let TIOCSPTLCK: UInt = 0x4004_5431, TIOCGPTN: UInt = 0x8004_5430
        guard master >= 0, ioctl(master, TIOCSPTLCK, &unlock) == 0, ioctl(master, TIOCGPTN, &number) == 0 else {
            throw PTYError("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw PTYError("cannot open the terminal side: \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["--ctty", "--wait", executable] + arguments
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
        mark = output.startIndex
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        if process.isRunning { process.terminate() }
        close(master)
    }

    /// Types `text` (use "\r" for Return, "\t" for Tab, "\u{3}" for Ctrl-C, "\u{4}" for Ctrl-D).
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
    }

    /// Types `line` and Return, then reads until `text` appears.
    @discardableResult
    func enter(_ line: String, expecting text: String) -> Bool {
        type(line + "\r")
        return expect(text)
    }

    /// Reads until `text` appears after the last match (returns false after `timeout` seconds).
    @discardableResult
    func expect(_ text: String, timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let r = output.range(of: text, range: mark..<output.endIndex) {
                mark = r.upperBound
                return true
            }
            if Date() > deadline { return false }
            pump(wait: 0.05)
        }
    }

    /// Waits for the process to end (reading its output meanwhile); nil on timeout.
    func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline { return nil }
            pump(wait: 0.05)
        }
        pump(wait: 0)
        return process.terminationStatus
    }

    /// What was printed since the last match.
    var pending: String { String(output[mark...]) }

    private func pump(wait: Double) {
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        _ = poll(&fds, 1, Int32(wait * 1000))
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBufferPointer { read(master, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            let offset = output.distance(from: output.startIndex, to: mark)
            output += String(decoding: buffer[0..<n], as: UTF8.self)
            mark = output.index(output.startIndex, offsetBy: offset)
        }
    }
}

struct PTYError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

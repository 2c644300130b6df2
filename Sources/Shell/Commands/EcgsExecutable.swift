import Foundation

/// The absolute path of the running `ecgs` (argv[0] may be relative or found on PATH): what the kernel spec
/// starts and what a sweep runs for each of its notebooks.
enum EcgsExecutable {
    static var path: String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        if n > 0 { return String(cString: Array(buf[..<n]) + [0]) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

import Foundation

/// Refuses allocations that cannot succeed, with a message instead of an abort: a tensor or dataset
/// whose size exceeds the memory the system has available right now (MemAvailable, or the physical
/// memory where /proc is absent).
public enum MemoryGuard {
    /// An extra cap on one allocation, below what the system has (the fuzzer sets one so that inputs
    /// asking for gigabytes are refused quickly instead of computed).
    nonisolated(unsafe) public static var limitBytes: Int?

    /// Bytes available for new allocations.
    public static var availableBytes: Int {
        let system = systemAvailableBytes
        return limitBytes.map { Swift.min($0, system) } ?? system
    }

    static var systemAvailableBytes: Int {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
            let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        {
            return kb * 1024
        }
        return Int(ProcessInfo.processInfo.physicalMemory)
    }

    /// Throws when `elements` float32 values (of the shape described) would not fit in memory.
    public static func require(elements: Int, shape: [Int]? = nil, op: String) throws {
        guard elements >= 0 else { throw EngineError(op, "negative size") }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: 4)
        if !overflow && bytes < 64 << 20 { return } // small: not worth reading /proc
        let avail = availableBytes
        if overflow || bytes > avail {
            let what = shape.map { "a tensor of shape \(shapeString($0))" } ?? "\(elements) values"
            throw EngineError(
                op,
                "\(what) needs \(overflow ? "more than 8 EiB" : formatBytes(bytes)) but only \(formatBytes(avail)) of memory is available")
        }
    }

    public static func formatBytes(_ b: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var v = Double(b), i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        return String(format: i == 0 ? "%.0f %@" : "%.1f %@", v, units[i])
    }
}

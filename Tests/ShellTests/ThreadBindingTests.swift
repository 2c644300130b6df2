import Foundation
import Testing

/// `ecgs` at a terminal with `ECGS_PIN_THREADS=1` binds its main thread and its workers to the CPUs it may use, one
/// each, once it computes (`Engine/Backend/ThreadPlacement.swift`), and leaves them alone otherwise (the default):
/// read back from `/proc/<pid>/task/*/status` while the REPL waits at its prompt.
@Suite(.serialized) struct ThreadBindingTests {
    /// `0-2,5` → [0, 1, 2, 5].
    static func cpus(_ list: String) -> [Int] {
        list.split(separator: ",").flatMap { part -> [Int] in
            let ends = part.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return ends.count == 2 ? Array(ends[0]...ends[1]) : ends
        }
    }

    /// The `Cpus_allowed_list` of a `/proc/…/status` file.
    static func allowed(status path: String) -> [Int]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
        else { return nil }
        return cpus(String(line.dropFirst("Cpus_allowed_list:".count)))
    }

    /// Every thread of `pid` with the CPUs it may run on.
    static func threads(of pid: Int32) -> [Int32: [Int]] {
        let dir = "/proc/\(pid)/task"
        var result: [Int32: [Int]] = [:]
        for tid in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            if let t = Int32(tid), let c = allowed(status: "\(dir)/\(tid)/status") { result[t] = c }
        }
        return result
    }

    /// The child of `parent` (the `ecgs` that `setsid --wait` started).
    static func child(of parent: Int32) -> Int32? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == parent { return pid }
        }
        return nil
    }

    /// `ECGS_PIN_THREADS` as given ("" stands for the default: the variable is not set to anything that binds).
    @Test(arguments: ["1", "0", ""])
    func replBindsItsComputeThreadsOnePerCPUWhenAsked(pin: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-bind-\(getpid())-\(pin)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let environment = ["HOME": dir, "ECGS_PIN_THREADS": pin]
        let s = try PTYSession(
            executable: TerminalTests.executable, arguments: ["repl", "--history", dir + "/history"], environment: environment)
        #expect(s.expect("In[1]: "), "no first prompt: \(s.output)")
        // A forward pass: parallel regions started from the main thread.
        #expect(s.enter("p = net1d(preset=\"tiny\", classes=3)(randn([8, 12, 4000], seed=1))", expecting: "In[2]: "), "\(s.output)")
        let pid = try #require(Self.child(of: s.process.processIdentifier))
        let threads = Self.threads(of: pid)
        let allowed = try #require(Self.allowed(status: "/proc/self/status"))
        if pin == "1" && allowed.count >= 2 {
            #expect(threads[pid] == [allowed[0]], "main thread: \(threads)")
            let bound = threads.filter { $0.key != pid && $0.value.count == 1 }.map { $0.value[0] }.sorted()
            #expect(bound == Array(allowed.dropFirst()), "one worker per remaining CPU: \(threads)")
            #expect(threads.values.allSatisfy { $0.count == 1 || $0 == allowed }, "other threads keep every CPU: \(threads)")
        } else {
            #expect(threads.values.allSatisfy { $0 == allowed }, "no thread bound: \(threads)")
        }
        Thread.sleep(forTimeInterval: 0.1)
        s.type("\u{4}")
        #expect(s.waitForExit() == 0, "\(s.output)")
    }
}

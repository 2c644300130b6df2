import Foundation
import Testing

@testable import Engine

/// When the compute threads are bound to CPUs, and that binding the calling thread works.
@Suite struct ThreadPlacementTests {
    @Test func bindsOnlyWhenAskedAndEveryAllowedCPUGetsOneComputingThread() {
        let on = ["ECGS_PIN_THREADS": "1"]
        #expect(ThreadPlacement.plan(allowed: [0, 1], poolThreads: 1, workers: 2, environment: on) == [0, 1])
        #expect(ThreadPlacement.plan(allowed: [2, 5, 7], poolThreads: 2, workers: 3, environment: on) == [2, 5, 7])
        // Not asked for (the default), or switched off (a sweep's runs sharing the cores), or a rank sharing the
        // cores (fewer workers than threads), or a CPU set that does not match the pool (taskset to fewer CPUs,
        // unknown affinity), or no pool at all.
        for environment in [[:], ["ECGS_PIN_THREADS": "0"], ["ECGS_PIN_THREADS": ""], ["ECGS_PIN_THREADS": "yes"]] {
            #expect(ThreadPlacement.plan(allowed: [0, 1], poolThreads: 1, workers: 2, environment: environment) == nil)
        }
        #expect(ThreadPlacement.plan(allowed: [0, 1], poolThreads: 1, workers: 1, environment: on) == nil)
        #expect(ThreadPlacement.plan(allowed: [1], poolThreads: 1, workers: 2, environment: on) == nil)
        #expect(ThreadPlacement.plan(allowed: [0, 1, 2, 3], poolThreads: 1, workers: 2, environment: on) == nil)
        #expect(ThreadPlacement.plan(allowed: nil, poolThreads: 1, workers: 2, environment: on) == nil)
        #expect(ThreadPlacement.plan(allowed: [0], poolThreads: 0, workers: 1, environment: on) == nil)
    }

    /// On a thread of its own (binding a test runner's thread would outlive the test): bound to the last allowed
    /// CPU, the thread may run there only; a CPU that does not exist is refused and changes nothing.
    @Test func bindingRestrictsTheCallingThreadOnly() throws {
        let allowed = try #require(ThreadPlacement.allowedCPUs())
        #expect(!allowed.isEmpty)
        let last = allowed.last!
        final class Seen: @unchecked Sendable { // written by the thread before `done`, read after
            var bound = false, refused = false
            var after: [Int]?, afterRefusal: [Int]?
        }
        let seen = Seen()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            seen.bound = ThreadPlacement.bind(to: last)
            seen.after = ThreadPlacement.allowedCPUs()
            seen.refused = !ThreadPlacement.bind(to: 1023)
            seen.afterRefusal = ThreadPlacement.allowedCPUs()
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(seen.bound)
        #expect(seen.after == [last])
        #expect(seen.refused || Parallel.availableCPUs > 1023)
        #expect(seen.afterRefusal == [last])
        #expect(ThreadPlacement.allowedCPUs() == allowed, "the test's own thread must keep its CPUs")
    }
}

import Foundation
import Testing

@testable import DSL

/// Deep recursion stops with a message before the stack of the thread running it overflows, whatever the build's
/// frame sizes (under AddressSanitizer a debug build overflowed 8 MiB below the 180-call limit).
@Suite struct StackGuardTests {
    /// The error of running `source` on a thread with a stack of `stackSize` bytes (nil: it ran to the end).
    static func error(_ source: String, stackSize: Int) -> String? {
        final class Box: @unchecked Sendable { var message: String? }
        let box = Box(), done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.message = Interpreter(sink: LinesSink()).execute(source).diagnostic?.message
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return box.message
    }

    @Test func recursionOnASmallStackStopsWithAMessage() {
        let source = "fn f(n) { if n == 0 { 0 } else { 1 + f(n - 1) } }\nf(170)"
        let message = Self.error(source, stackSize: 256 << 10)
        #expect(
            message?.hasPrefix("recursion too deep (") == true && message?.contains("filled the stack") == true, "\(message ?? "no error")")
        // With room enough the same calls finish.
        #expect(Self.error(source, stackSize: 64 << 20) == nil)
    }
}

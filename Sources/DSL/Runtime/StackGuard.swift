import Foundation

/// The stack of the thread an interpreter runs on, so that deep recursion stops with a message before the stack
/// overflows whatever the build's frame sizes: a debug build under AddressSanitizer uses several times the release
/// build's stack per ECGScript call, and overflowed an 8 MiB stack below the 180-call limit (ecgscript corpus).
struct StackGuard {
    let low: UInt
    let high: UInt
    /// What must stay free below the deepest call: for built-ins called there (a quarter of the stack, at most 1 MiB).
    let reserve: UInt

    private typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
    /// glibc's `pthread_getattr_np` (a GNU extension the Glibc module does not export).
    private static let getAttributes: GetAttributes? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np").map {
        unsafeBitCast($0, to: GetAttributes.self)
    }

    /// The calling thread's stack, or nil where it cannot be read.
    static func current() -> StackGuard? {
        var attributes = pthread_attr_t()
        guard let getAttributes, getAttributes(pthread_self(), &attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        var base: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attributes, &base, &size) == 0, let base, size > 0 else { return nil }
        let low = UInt(bitPattern: base)
        return StackGuard(low: low, high: low + UInt(size), reserve: UInt(Swift.min(1 << 20, size / 4)))
    }

    /// True when the caller runs on this stack with less than `reserve` bytes left below it (a caller on another
    /// thread's stack is never stopped).
    func isNearlyFull() -> Bool {
        var marker = 0
        let here = withUnsafeMutablePointer(to: &marker) { Self.realFrame(UnsafeMutableRawPointer($0)) }
        return here >= low && here < high && here - low < reserve
    }

    private typealias CurrentFakeStack = @convention(c) () -> UnsafeMutableRawPointer?
    private typealias AddressInFakeStack =
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
            UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        ) -> UnsafeMutableRawPointer?
    /// AddressSanitizer's interface, present only in a build that links it: there a local's address may lie on its
    /// "fake stack" (detect_stack_use_after_return), which it maps back to the thread's real frame.
    private static let currentFakeStack: CurrentFakeStack? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_get_current_fake_stack")
        .map { unsafeBitCast($0, to: CurrentFakeStack.self) }
    private static let addressInFakeStack: AddressInFakeStack? = dlsym(
        UnsafeMutableRawPointer(bitPattern: 0), "__asan_addr_is_in_fake_stack"
    ).map { unsafeBitCast($0, to: AddressInFakeStack.self) }

    /// The address on the thread's own stack of the frame holding `local`.
    private static func realFrame(_ local: UnsafeMutableRawPointer) -> UInt {
        if let currentFakeStack, let addressInFakeStack, let fake = currentFakeStack(), let real = addressInFakeStack(fake, local, nil, nil)
        {
            return UInt(bitPattern: real)
        }
        return UInt(bitPattern: local)
    }
}

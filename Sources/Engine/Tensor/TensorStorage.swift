import Foundation

/// A reference-counted, 64-byte aligned buffer of `Float32` values shared by tensors and their views.
/// Either allocated memory or a private (copy-on-write) memory map of a file.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    private let mapping: (base: UnsafeMutableRawPointer, length: Int)?
    /// The accounting scope that was current when this storage was allocated (see `AllocationScope`).
    private let scope: AllocationScope?

    /// glibc gives blocks above 128 KiB–32 MiB (its threshold adapts) their own memory map and returns
    /// freed memory to the system, so every training step paid page faults and kernel zeroing for
    /// activations of the same sizes as the step before. Keeping blocks up to 32 MiB in the heap and
    /// not trimming it makes the next step reuse them (measured: 10 % of a small-preset training step).
    private static let allocatorTuned: Void = {
        // mallopt from <malloc.h> (not in Swift's Glibc module); M_TRIM_THRESHOLD −1, M_TOP_PAD −2,
        // M_MMAP_THRESHOLD −3. Absent on other C libraries, where nothing changes.
        typealias MalloptFn = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MalloptFn.self)
        _ = mallopt(-3, 32 << 20)
        _ = mallopt(-1, 1 << 30)
        _ = mallopt(-2, 64 << 20)
    }()

    /// Allocates `count` floats; zero-filled when `zeroed`.
    public init(count: Int, zeroed: Bool = true) {
        Self.allocatorTuned
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
        if zeroed { pointer.initialize(repeating: 0, count: count) }
        mapping = nil
        scope = AllocationScope.current
        scope?.bytes.add(max(1, count) * 4, ordering: .relaxed)
    }

    /// Maps `count` little-endian floats starting at byte `offset` (a multiple of 64) of an open file.
    /// Pages are read on first touch; writes stay private to this process. Nil when mapping fails.
    init?(mapping fd: Int32, offset: Int, count: Int) {
        let length = offset + 4 * count
        guard offset % 64 == 0, let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0),
            base != MAP_FAILED
        else { return nil }
        self.count = count
        pointer = (base + offset).bindMemory(to: Float.self, capacity: max(1, count))
        mapping = (base, length)
        scope = nil
    }

    deinit {
        if let m = mapping {
            munmap(m.base, m.length)
        } else {
            pointer.deallocate()
            scope?.bytes.subtract(max(1, count) * 4, ordering: .relaxed)
        }
    }
}

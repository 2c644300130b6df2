import Foundation

/// A reference-counted, 64-byte aligned buffer of `Float32` values shared by tensors and their views.
/// Either allocated memory or a private (copy-on-write) memory map of a file.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    private let mapping: (base: UnsafeMutableRawPointer, length: Int)?

    /// Allocates `count` floats; zero-filled when `zeroed`.
    public init(count: Int, zeroed: Bool = true) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
        if zeroed { pointer.initialize(repeating: 0, count: count) }
        mapping = nil
    }

    /// Maps `count` little-endian floats starting at byte `offset` (a multiple of 64) of an open file.
    /// Pages are read on first touch; writes stay private to this process. Nil when mapping fails.
    init?(mapping fd: Int32, offset: Int, count: Int) {
        let length = offset + 4 * count
        guard offset % 64 == 0, let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0),
              base != MAP_FAILED else { return nil }
        self.count = count
        pointer = (base + offset).bindMemory(to: Float.self, capacity: max(1, count))
        mapping = (base, length)
    }

    deinit {
        if let m = mapping { munmap(m.base, m.length) } else { pointer.deallocate() }
    }
}

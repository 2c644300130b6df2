import Testing

@testable import Engine

/// `ShortCopy.copy` copies exactly `count` values at any offset (its 16-, 8-, 4-lane and scalar steps, and the
/// `memmove` it hands long rows to) and writes nothing beyond them.
@Suite struct ShortCopyTests {
    @Test func copiesEveryLengthAndNothingMore() {
        let source = (0..<200).map { Float($0) + 0.5 }
        for offset in 0..<3 {
            for count in 0...130 {
                var target = [Float](repeating: -1, count: 200)
                source.withUnsafeBufferPointer { src in
                    target.withUnsafeMutableBufferPointer { dst in
                        ShortCopy.copy(src.baseAddress! + offset, to: dst.baseAddress! + offset + 1, count: count)
                    }
                }
                let want = (0..<200).map { i in i > offset && i <= offset + count ? source[i - 1] : -1 }
                #expect(target == want, "offset \(offset), count \(count)")
            }
        }
    }
}

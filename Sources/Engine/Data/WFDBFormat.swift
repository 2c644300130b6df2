/// Decoding of WFDB signal file formats (`signal(5)`): a byte buffer to a flat, frame-interleaved
/// sequence of digital samples. Packed formats (212, 310, 311) pack consecutive samples of that
/// sequence regardless of which signal they belong to, as the WFDB library does.
enum WFDBFormat {
    /// The digital value WFDB uses to mark an invalid sample, per format (nil: the format has none).
    static func invalidMarker(_ format: Int) -> Int32? {
        switch format {
        case 16, 61, 160, 516: return -32768
        case 80, 508: return -128
        case 524: return -8_388_608
        case 212: return -2048
        case 310, 311: return -512
        case 24: return -8_388_608
        case 32: return Int32.min
        case 0: return Int32.min // a null signal: no stored value is valid
        default: return nil // format 8 stores first differences and has no marker
        }
    }

    /// Bytes needed to hold `n` samples in `format`.
    static func byteCount(samples n: Int, format: Int) -> Int {
        switch format {
        case 8, 80: return n
        case 16, 61, 160: return 2 * n
        case 24: return 3 * n
        case 32: return 4 * n
        case 212: return 3 * (n / 2) + (n % 2 == 1 ? 2 : 0)
        case 310: return 4 * (n / 3) + [0, 2, 4][n % 3]
        case 311: return 4 * (n / 3) + [0, 2, 3][n % 3]
        default: return 0
        }
    }

    /// The most samples that `bytes` bytes hold completely in `format`.
    static func sampleCapacity(bytes b: Int, format: Int) -> Int {
        switch format {
        case 8, 80: return b
        case 16, 61, 160: return b / 2
        case 24: return b / 3
        case 32: return b / 4
        case 212: return 2 * (b / 3) + (b % 3 >= 2 ? 1 : 0)
        case 310: return 3 * (b / 4) + (b % 4 >= 2 ? 1 : 0)
        case 311: return 3 * (b / 4) + (b % 4 >= 3 ? 2 : b % 4 >= 2 ? 1 : 0)
        default: return 0
        }
    }

    @inline(__always) private static func signExtend(_ v: Int32, bits: Int32) -> Int32 {
        let shift = 32 - bits
        return (v << shift) >> shift
    }

    /// Decodes `n` samples from `bytes` (which must hold `byteCount(samples: n)` bytes) into `out`.
    /// Format 8 differences are accumulated per position in the frame, starting from `initial`.
    static func decode(
        _ bytes: UnsafeRawBufferPointer, format: Int, samples n: Int,
        frameSignalIndex: [Int], initial: [Int32], into out: UnsafeMutablePointer<Int32>
    ) {
        let p = bytes.bindMemory(to: UInt8.self)
        @inline(__always) func b(_ i: Int) -> Int32 { Int32(p[i]) }
        switch format {
        case 16:
            for i in 0..<n { out[i] = Int32(Int16(bitPattern: UInt16(p[2 * i]) | UInt16(p[2 * i + 1]) << 8)) }
        case 61:
            for i in 0..<n { out[i] = Int32(Int16(bitPattern: UInt16(p[2 * i + 1]) | UInt16(p[2 * i]) << 8)) }
        case 160:
            for i in 0..<n { out[i] = Int32(UInt16(p[2 * i]) | UInt16(p[2 * i + 1]) << 8) - 32768 }
        case 80:
            for i in 0..<n { out[i] = b(i) - 128 }
        case 8:
            var acc = initial
            let f = frameSignalIndex.count
            for i in 0..<n {
                let s = frameSignalIndex[i % f]
                acc[s] &+= Int32(Int8(bitPattern: p[i]))
                out[i] = acc[s]
            }
        case 24:
            for i in 0..<n { out[i] = signExtend(b(3 * i) | b(3 * i + 1) << 8 | b(3 * i + 2) << 16, bits: 24) }
        case 32:
            for i in 0..<n {
                out[i] = Int32(
                    bitPattern: UInt32(p[4 * i]) | UInt32(p[4 * i + 1]) << 8 | UInt32(p[4 * i + 2]) << 16 | UInt32(p[4 * i + 3]) << 24)
            }
        case 212:
            for i in 0..<n {
                let g = 3 * (i / 2)
                let v = i % 2 == 0 ? (b(g) | (b(g + 1) & 0x0F) << 8) : (b(g + 2) | (b(g + 1) & 0xF0) << 4)
                out[i] = signExtend(v, bits: 12)
            }
        case 310:
            for i in 0..<n {
                let g = 4 * (i / 3)
                let v: Int32
                switch i % 3 {
                case 0: v = (b(g) >> 1) | (b(g + 1) & 0x07) << 7
                case 1: v = (b(g + 2) >> 1) | (b(g + 3) & 0x07) << 7
                default: v = (b(g + 1) & 0xF8) >> 3 | (b(g + 3) & 0xF8) << 2
                }
                out[i] = signExtend(v, bits: 10)
            }
        case 311:
            for i in 0..<n {
                let g = 4 * (i / 3)
                let v: Int32
                switch i % 3 {
                case 0: v = b(g) | (b(g + 1) & 0x03) << 8
                case 1: v = (b(g + 1) & 0xFC) >> 2 | (b(g + 2) & 0x0F) << 6
                default: v = (b(g + 2) & 0xF0) >> 4 | (b(g + 3) & 0x3F) << 4
                }
                out[i] = signExtend(v, bits: 10)
            }
        default:
            preconditionFailure("unsupported WFDB format \(format) reached the decoder")
        }
    }
}

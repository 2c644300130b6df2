import Engine
import Foundation

/// The seeded mutator of the fallback loop (Driver.swift): bit flips, byte edits, interesting integers,
/// token insertions, deletions, truncation, chunk duplication, splices with other seeds, big numbers.
struct Mutator {
    var rng: SeededRandom
    let corpus: [Data]
    let interesting: [UInt32] = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF]
    let tokens = [
        "0", "-1", "4294967296", "1e308", "nan", "999999999999", "\n", " ", "\"", "(", ")", "{", "}", "[", "]", ",", ":", "#", "'", "\\",
        "9" + String(repeating: "9", count: 30)
    ]

    mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(rng.next() % UInt64(n)) }

    mutating func mutate(_ seed: Data) -> Data {
        var b = [UInt8](seed)
        for _ in 0...int(4) {
            switch int(9) {
            case 0 where !b.isEmpty: b[int(b.count)] ^= UInt8(1 << int(8))
            case 1 where !b.isEmpty: b[int(b.count)] = UInt8(truncatingIfNeeded: rng.next())
            case 2 where b.count >= 4:
                let v = interesting[int(interesting.count)], p = int(b.count - 3)
                for k in 0..<4 { b[p + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
            case 3: b.insert(contentsOf: Array(tokens[int(tokens.count)].utf8), at: int(b.count + 1))
            case 4 where !b.isEmpty:
                let p = int(b.count), n = min(b.count - p, 1 + int(16))
                b.removeSubrange(p..<(p + n))
            case 5 where !b.isEmpty: b.removeSubrange(int(b.count)...)
            case 6 where !b.isEmpty: // duplicate a chunk
                let p = int(b.count), n = min(b.count - p, 1 + int(64))
                b.insert(contentsOf: b[p..<(p + n)], at: int(b.count + 1))
            case 7 where !corpus.isEmpty: // splice with another seed
                let o = [UInt8](corpus[int(corpus.count)])
                if !o.isEmpty && !b.isEmpty { b = Array(b[..<int(b.count)]) + Array(o[int(o.count)...]) }
            case 8 where !b.isEmpty: // replace a digit run by a big number
                let p = int(b.count)
                if let s = b[p...].firstIndex(where: { (48...57).contains($0) }) {
                    var e = s
                    while e < b.count && (48...57).contains(b[e]) { e += 1 }
                    b.replaceSubrange(s..<e, with: Array(["0", "65535", "2147483648", "99999999999"][int(4)].utf8))
                }
            default: break
            }
        }
        return Data(b)
    }
}

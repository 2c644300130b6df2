import Foundation

/// One annotation of a MIT-format annotation file (`annot(5)`).
public struct WFDBAnnotation: Equatable, Sendable {
    public var sample: Int
    /// Annotation type code (`anntyp`), e.g. 1 = NORMAL.
    public var code: Int
    public var subtype: Int
    public var channel: Int
    public var number: Int
    public var aux: String

    /// The mnemonic `rdann` prints (`N`, `V`, `+`, …).
    public var mnemonic: String { code < WFDBAnnotation.mnemonics.count ? WFDBAnnotation.mnemonics[code] : "[\(code)]" }

    /// WFDB's `ecgcodes.h` mnemonics, indexed by code.
    static let mnemonics: [String] = [
        "", "N", "L", "R", "a", "V", "F", "J", "A", "S", "E", "j", "/", "Q", "~", "[15]", "|", "[17]", "s", "T",
        "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u", "?", "!", "[", "]", "e", "n", "@", "x", "f", "(",
        ")", "r",
    ]

    /// Reads a MIT-format annotation file (e.g. `100.atr`).
    public static func read(_ path: String) throws -> [WFDBAnnotation] {
        let data = try WFDB.readFile(path, op: "annotations")
        let bytes = [UInt8](data)
        var out: [WFDBAnnotation] = []
        var i = 0, time = 0, chan = 0, num = 0
        func word(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        while i + 1 < bytes.count {
            let w = word(i)
            let a = w >> 10, len = w & 0x3FF
            i += 2
            switch a {
            case 0 where len == 0:
                return out   // end of file
            case 59:   // SKIP: a 32-bit interval follows, high 16 bits first
                guard i + 3 < bytes.count else { throw EngineError("annotations", "\(path): truncated SKIP at byte \(i - 2)") }
                let interval = Int32(bitPattern: UInt32(word(i)) << 16 | UInt32(word(i + 2)))
                time += Int(interval)
                i += 4
            case 60: num = len; if !out.isEmpty { out[out.count - 1].number = len }
            case 61: guard !out.isEmpty else { throw EngineError("annotations", "\(path): SUB before any annotation at byte \(i - 2)") }
                out[out.count - 1].subtype = len
            case 62: chan = len; if !out.isEmpty { out[out.count - 1].channel = len }
            case 63:
                guard !out.isEmpty else { throw EngineError("annotations", "\(path): AUX before any annotation at byte \(i - 2)") }
                guard i + len <= bytes.count else { throw EngineError("annotations", "\(path): AUX string of \(len) bytes runs past the end at byte \(i - 2)") }
                let s = bytes[i..<(i + len)]
                out[out.count - 1].aux = String(decoding: s.prefix(while: { $0 != 0 }), as: UTF8.self)
                i += len + (len & 1)
            default:
                time += len
                out.append(WFDBAnnotation(sample: time, code: a, subtype: 0, channel: chan, number: num, aux: ""))
            }
        }
        if i < bytes.count { throw EngineError("annotations", "\(path): odd trailing byte at \(i)") }
        return out   // a file may also end without the 0 word
    }
}

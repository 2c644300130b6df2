import Foundation

/// One annotation of a MIT-format annotation file (`annot(5)`).
public struct WFDBAnnotation: Equatable, Sendable {
    public var sample: Int
    /// Annotation type code (`anntyp`), e.g. 1 = NORMAL.
    public var code: Int
    /// The label's mnemonic: the file's own label definition for `code` when it has one (written by
    /// `wfdb.wrann(custom_labels=...)` or `setannstr`), else WFDB's standard one (`N`, `V`, `+`, …).
    public var symbol: String
    /// `subtyp` and `num` are signed chars and `chan` an unsigned char in the WFDB library: the stored
    /// 10-bit field is cut to its low 8 bits, as `rdann` and wfdb-python do.
    public var subtype: Int
    public var channel: Int
    public var number: Int
    public var aux: String

    public init(sample: Int, code: Int, symbol: String? = nil, subtype: Int = 0, channel: Int = 0, number: Int = 0, aux: String = "") {
        self.sample = sample
        self.code = code
        self.symbol = symbol ?? WFDBAnnotation.standardSymbol(code)
        self.subtype = subtype
        self.channel = channel
        self.number = number
        self.aux = aux
    }

    /// WFDB's `ecgcodes.h` mnemonics, indexed by code; codes without one print as `[code]` (as `rdann`).
    static let mnemonics: [String] = [
        "", "N", "L", "R", "a", "V", "F", "J", "A", "S", "E", "j", "/", "Q", "~", "[15]", "|", "[17]", "s", "T",
        "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u", "?", "!", "[", "]", "e", "n", "@", "x", "f", "(",
        ")", "r"
    ]

    static func standardSymbol(_ code: Int) -> String { code < mnemonics.count ? mnemonics[code] : "[\(code)]" }

    /// Reads the annotations of a MIT-format annotation file (e.g. `100.atr`); see `WFDBAnnotationFile`.
    public static func read(_ path: String) throws -> [WFDBAnnotation] { try WFDBAnnotationFile.read(path).annotations }
}

/// A MIT-format annotation file: its annotations and what its leading header block declares.
///
/// Files written by the WFDB library or wfdb-python may start with NOTE annotations at sample 0 that
/// describe the file rather than the signal: `## time resolution: F`, and a block
/// `## annotation type definitions` … `## end of definitions` whose lines read `CODE SYMBOL DESCRIPTION`.
/// They are consumed here, as `rdann` and `wfdb.rdann` do (which also drop every other NOTE at sample 0
/// and every code-0 entry): they are not annotations of the record.
public struct WFDBAnnotationFile: Sendable {
    public var annotations: [WFDBAnnotation]
    /// The `## time resolution` the file declares (annotation times in ticks of 1/F s), if any.
    public var timeResolution: Double?
    /// Label definitions in the file: code → (symbol, description).
    public var customLabels: [Int: (symbol: String, description: String)]

    public static func read(_ path: String) throws -> WFDBAnnotationFile {
        let data = try WFDB.readFile(path, op: "annotations")
        return try parse([UInt8](data), source: path)
    }

    /// Decodes the bytes of an annotation file; `source` names it in errors.
    public static func parse(_ bytes: [UInt8], source path: String) throws -> WFDBAnnotationFile {
        var raw: [WFDBAnnotation] = []
        var i = 0, time = 0, chan = 0, num = 0
        func word(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func fail(_ what: String, _ at: Int) -> EngineError { EngineError("annotations", "\(path): \(what) at byte \(at)") }
        decoding: while i + 1 < bytes.count {
            let w = word(i)
            let a = w >> 10, len = w & 0x3FF, low = w & 0xFF
            i += 2
            switch a {
            case 0 where len == 0:
                break decoding // end of file
            case 59: // SKIP: a 32-bit interval follows, high 16 bits first
                guard i + 3 < bytes.count else { throw fail("truncated SKIP", i - 2) }
                let interval = Int32(bitPattern: UInt32(word(i)) << 16 | UInt32(word(i + 2)))
                let (t, overflow) = time.addingReportingOverflow(Int(interval))
                guard !overflow else { throw fail("SKIP interval overflows the sample number", i - 2) }
                time = t
                i += 4
            case 60:
                num = Int(Int8(truncatingIfNeeded: low))
                if !raw.isEmpty { raw[raw.count - 1].number = num }
            case 61:
                guard !raw.isEmpty else { throw fail("SUB before any annotation", i - 2) }
                raw[raw.count - 1].subtype = Int(Int8(truncatingIfNeeded: low))
            case 62:
                chan = low
                if !raw.isEmpty { raw[raw.count - 1].channel = chan }
            case 63:
                guard !raw.isEmpty else { throw fail("AUX before any annotation", i - 2) }
                guard i + low <= bytes.count else { throw fail("AUX string of \(low) bytes runs past the end", i - 2) }
                // One character per byte (Latin-1, as wfdb-python), up to the first NUL as the WFDB
                // library's C string (wfdb-python keeps the NUL: "(N\0" where rdann prints "(N").
                let text = bytes[i..<(i + low)].prefix(while: { $0 != 0 })
                raw[raw.count - 1].aux = String(String.UnicodeScalarView(text.map { Unicode.Scalar($0) }))
                i += low + (low & 1)
            default:
                time += len
                raw.append(WFDBAnnotation(sample: time, code: a, channel: chan, number: num))
            }
        }
        if i == bytes.count - 1 { throw fail("odd trailing byte", i) }
        var file = WFDBAnnotationFile(annotations: [], timeResolution: nil, customLabels: [:])
        file.readDefinitions(raw.filter { $0.sample == 0 && $0.code == 22 })
        file.annotations = raw.filter { $0.code != 0 && !($0.sample == 0 && $0.code == 22) }
        for k in file.annotations.indices {
            if let custom = file.customLabels[file.annotations[k].code] { file.annotations[k].symbol = custom.symbol }
        }
        return file
    }

    /// Reads the time resolution and label definitions from the NOTEs at sample 0.
    mutating func readDefinitions(_ notes: [WFDBAnnotation]) {
        var inDefinitions = false
        for note in notes {
            let text = note.aux.trimmingCharacters(in: CharacterSet(charactersIn: "\0\n\r"))
            if text == "## annotation type definitions" { inDefinitions = true; continue }
            if text == "## end of definitions" { inDefinitions = false; continue }
            if text.hasPrefix("## time resolution:"), timeResolution == nil {
                timeResolution = Double(text.dropFirst("## time resolution:".count).trimmingCharacters(in: .whitespaces))
                continue
            }
            guard inDefinitions else { continue }
            let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count == 3, let code = Int(parts[0]), code > 0, code < 50 else { continue }
            customLabels[code] = (String(parts[1]), String(parts[2]))
        }
    }
}

import Foundation

/// Checks the layout of a zip file's directory before ZIPFoundation reads it: ZIPFoundation converts the
/// 64-bit offsets it reads to `off_t` without a check and traps ("Not enough bits to represent the passed
/// value") on an offset past 2^63, which a damaged or hostile `torch.save` file can hold (found by libFuzzer).
/// Every offset and size the end-of-central-directory records (zip64 included) and each central-directory
/// entry give must lie inside the file; a stored entry's size must fit in the file, a deflated one's in
/// deflate's largest expansion (1032:1).
enum ZipDirectory {
    struct Entry {
        var name: String
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
    }

    static func check(path: String) throws -> [Entry] {
        guard let h = FileHandle(forReadingAtPath: path) else { throw EngineError("load_model", "cannot read '\(path)'") }
        defer { try? h.close() }
        func fail(_ what: String) -> EngineError { EngineError("load_model", "\(path): damaged zip archive (\(what))") }
        let size = try h.seekToEnd()
        func read(_ offset: UInt64, _ count: UInt64) throws -> [UInt8] {
            guard offset <= size, count <= size - offset else { throw fail("a record at byte \(offset) runs past the end of the file") }
            try h.seek(toOffset: offset)
            let d = try h.read(upToCount: Int(count)) ?? Data()
            guard d.count == Int(count) else { throw fail("cannot read \(count) bytes at \(offset)") }
            return [UInt8](d)
        }
        func u16(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(b[i]) | UInt64(b[i + 1]) << 8 }
        func u32(_ b: [UInt8], _ i: Int) -> UInt64 { u16(b, i) | u16(b, i + 2) << 16 }
        func u64(_ b: [UInt8], _ i: Int) -> UInt64 { u32(b, i) | u32(b, i + 4) << 32 }

        // The end-of-central-directory record: 22 bytes and a comment of up to 65,535 bytes at the end.
        guard size >= 22 else { throw fail("\(size) bytes, too short for a zip file") }
        let tailStart = size - min(size, 22 + 65_535 + 20)
        let tail = try read(tailStart, size - tailStart)
        guard let e = stride(from: tail.count - 22, through: 0, by: -1).first(where: { u32(tail, $0) == 0x0605_4B50 }) else {
            throw fail("no end-of-central-directory record")
        }
        var entries = u16(tail, e + 10), cdSize = u32(tail, e + 12), cdOffset = u32(tail, e + 16)
        if entries == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            // zip64: a 20-byte locator before the record points at the 56-byte zip64 record.
            guard e >= 20, u32(tail, e - 20) == 0x0706_4B50 else { throw fail("zip64 sizes without a zip64 locator") }
            let z = try read(u64(tail, e - 20 + 8), 56)
            guard u32(z, 0) == 0x0606_4B50 else { throw fail("the zip64 locator does not point at a zip64 record") }
            (entries, cdSize, cdOffset) = (u64(z, 32), u64(z, 40), u64(z, 48))
        }
        guard cdOffset <= size, cdSize <= size - cdOffset else {
            throw fail("the central directory (\(cdSize) bytes at \(cdOffset)) lies outside the \(size)-byte file")
        }
        guard cdSize <= 256 << 20, entries <= cdSize / 46 else { throw fail("\(entries) entries cannot fit in \(cdSize) bytes") }
        let cd = try read(cdOffset, cdSize)
        var out: [Entry] = [], p = 0
        for k in 0..<Int(entries) {
            guard p + 46 <= cd.count, u32(cd, p) == 0x0201_4B50 else { throw fail("central-directory entry \(k + 1) is damaged") }
            let method = u16(cd, p + 10)
            var compressed = u32(cd, p + 20), uncompressed = u32(cd, p + 24), local = u32(cd, p + 42)
            let nameLength = Int(u16(cd, p + 28)), extraLength = Int(u16(cd, p + 30)), commentLength = Int(u16(cd, p + 32))
            let end = p + 46 + nameLength + extraLength + commentLength
            guard end <= cd.count else { throw fail("central-directory entry \(k + 1) runs past the directory") }
            let name = String(decoding: cd[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            // The zip64 extra field holds, in this order, the values whose 32-bit fields are all ones.
            var x = p + 46 + nameLength
            while x + 4 <= p + 46 + nameLength + extraLength {
                let id = u16(cd, x), length = Int(u16(cd, x + 2))
                guard x + 4 + length <= p + 46 + nameLength + extraLength else { throw fail("entry '\(name)' has a damaged extra field") }
                if id == 0x0001 {
                    var f = x + 4
                    func next() throws -> UInt64 {
                        guard f + 8 <= x + 4 + length else { throw fail("entry '\(name)' has a short zip64 field") }
                        defer { f += 8 }
                        return u64(cd, f)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
                    if compressed == 0xFFFF_FFFF { compressed = try next() }
                    if local == 0xFFFF_FFFF { local = try next() }
                }
                x += 4 + length
            }
            guard size >= 30, local <= size - 30, compressed <= size - local else {
                throw fail("entry '\(name)' (\(compressed) bytes at \(local)) lies outside the \(size)-byte file")
            }
            let (expanded, overflow) = compressed.multipliedReportingOverflow(by: 1032)
            let largest = method == 0 ? compressed : overflow ? UInt64.max : expanded + 1024
            guard uncompressed <= largest else {
                throw fail("entry '\(name)' declares \(uncompressed) bytes, more than its \(compressed) stored bytes can hold")
            }
            out.append(Entry(name: name, compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: local))
            p = end
        }
        return out
    }
}

import CFLAC
import Foundation

/// FLAC-compressed WFDB signal files (formats 508, 516, 524: 8, 16 and 24 bits), decoded by libFLAC.
/// One FLAC stream holds the file's signals as its channels, each at `samplesPerFrame` samples per
/// WFDB frame (the WFDB library requires that count to be the same for every signal of the file).
enum WFDBFLAC {
    static let formats: Set<Int> = [508, 516, 524]

    /// Bits per sample of a FLAC format.
    static func bits(_ format: Int) -> Int { format - 500 }

    /// Decodes a signal file from byte `offset` on into one array per channel, stopping once each channel
    /// has `limit` samples (the header's length; what follows is ignored, as for the binary formats).
    /// FLAC's constant subframes let a few bytes stand for 65,535 samples, so a small file can expand to
    /// more than memory holds: without a limit, decoding stops with an error at the memory available
    /// (`availableBytes`, read from the system when nil; only then).
    static func decode(
        _ data: Data, from offset: Int, path: String, channels: Int, bits: Int, limit: Int? = nil, availableBytes: Int? = nil
    ) throws -> [[Int32]] {
        guard let decoder = FLAC__stream_decoder_new() else { throw EngineError("wfdb", "\(path): libFLAC could not create a decoder") }
        defer { FLAC__stream_decoder_delete(decoder) }
        let state = DecodeState(bytes: [UInt8](data.dropFirst(offset)), channels: channels, path: path)
        state.limit = limit
        if limit == nil { state.memoryCap = (availableBytes ?? MemoryGuard.availableBytes) / (4 * max(1, channels)) }
        let context = Unmanaged.passUnretained(state).toOpaque()
        let read: FLAC__StreamDecoderReadCallback = { _, buffer, bytes, client in
            let s = Unmanaged<DecodeState>.fromOpaque(client!).takeUnretainedValue()
            guard let buffer, let bytes else { return FLAC__STREAM_DECODER_READ_STATUS_ABORT }
            let n = min(bytes.pointee, s.bytes.count - s.position)
            if n == 0 { bytes.pointee = 0; return FLAC__STREAM_DECODER_READ_STATUS_END_OF_STREAM }
            s.bytes.withUnsafeBufferPointer { src in buffer.update(from: src.baseAddress! + s.position, count: n) }
            s.position += n
            bytes.pointee = n
            return FLAC__STREAM_DECODER_READ_STATUS_CONTINUE
        }
        let write: FLAC__StreamDecoderWriteCallback = { _, frame, buffer, client in
            let s = Unmanaged<DecodeState>.fromOpaque(client!).takeUnretainedValue()
            guard let frame, let buffer else { return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT }
            let header = frame.pointee.header
            guard Int(header.channels) == s.channels else {
                s.problem = "the stream has \(header.channels) channels but the header gives this file \(s.channels) signals"
                return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT
            }
            let have = s.output.first?.count ?? 0
            let n = min(Int(header.blocksize), (s.limit ?? Int.max) - have)
            if s.limit == nil && have + n > s.memoryCap {
                s.problem = "it decodes to more than \(s.memoryCap) samples per signal, more than the memory available"
                return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT
            }
            for c in 0..<s.channels {
                guard let src = buffer[c] else { return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT }
                s.output[c].append(contentsOf: UnsafeBufferPointer(start: src, count: n))
            }
            // Enough for the header's length: the rest of the stream is not decoded.
            if let limit = s.limit, have + n >= limit { s.complete = true; return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT }
            return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE
        }
        let metadata: FLAC__StreamDecoderMetadataCallback = { _, meta, client in
            let s = Unmanaged<DecodeState>.fromOpaque(client!).takeUnretainedValue()
            guard let meta, meta.pointee.type == FLAC__METADATA_TYPE_STREAMINFO else { return }
            s.bitsPerSample = Int(meta.pointee.data.stream_info.bits_per_sample)
        }
        let error: FLAC__StreamDecoderErrorCallback = { _, status, client in
            let s = Unmanaged<DecodeState>.fromOpaque(client!).takeUnretainedValue()
            let reasons = ["lost synchronisation", "bad header", "frame CRC mismatch", "unparseable stream"]
            let reason = Int(status.rawValue) < reasons.count ? reasons[Int(status.rawValue)] : "error \(status.rawValue)"
            if s.problem == nil { s.problem = "libFLAC: \(reason)" }
        }
        let status = FLAC__stream_decoder_init_stream(decoder, read, nil, nil, nil, nil, write, metadata, error, context)
        guard status == FLAC__STREAM_DECODER_INIT_STATUS_OK else {
            throw EngineError("wfdb", "\(path): libFLAC could not start decoding (init status \(status.rawValue))")
        }
        let ok = FLAC__stream_decoder_process_until_end_of_stream(decoder) != 0
        if let problem = state.problem { throw EngineError("wfdb", "\(path): not a valid FLAC signal file: \(problem)") }
        guard ok || state.complete else {
            let st = FLAC__stream_decoder_get_state(decoder)
            throw EngineError("wfdb", "\(path): not a valid FLAC signal file (decoder state \(st.rawValue))")
        }
        if let b = state.bitsPerSample, b > bits {
            throw EngineError("wfdb", "\(path): the FLAC stream has \(b)-bit samples but the header's format allows \(bits)")
        }
        return state.output
    }

    /// What the C callbacks share with the caller.
    private final class DecodeState {
        let bytes: [UInt8]
        let channels: Int
        let path: String
        var position = 0
        var output: [[Int32]]
        var problem: String?
        var bitsPerSample: Int?
        /// Samples per channel to keep (nil: all), and the most that fit in memory.
        var limit: Int?
        var memoryCap = Int.max
        /// Set when `limit` samples were decoded and decoding stopped there.
        var complete = false
        init(bytes: [UInt8], channels: Int, path: String) {
            self.bytes = bytes
            self.channels = channels
            self.path = path
            output = Array(repeating: [], count: channels)
        }
    }
}

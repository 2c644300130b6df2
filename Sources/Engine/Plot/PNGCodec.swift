import CPNG
import Foundation

/// PNG encoding and decoding with libpng, including the pHYs (dpi) and tEXt chunks. The only file
/// that talks to libpng.
public enum PNGCodec {
    public struct Image {
        public var width: Int
        public var height: Int
        /// RGBA, row-major.
        public var rgba: [UInt8]
        public var dpi: Double?
        public var text: [String: String]
        public func pixel(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8, UInt8) {
            let o = (y * width + x) * 4
            return (rgba[o], rgba[o + 1], rgba[o + 2], rgba[o + 3])
        }
    }

    final class Buffer { var data = Data(); var read = 0 }

    public static func encode(width: Int, height: Int, rgba: [UInt8], dpi: Double, text: [(String, String)]) throws -> Data {
        guard let png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nil, nil, nil) else {
            throw EngineError("png", "libpng could not start")
        }
        var info = png_create_info_struct(png)
        var pngOpt: png_structp? = png
        defer { png_destroy_write_struct(&pngOpt, &info) }
        let buffer = Buffer()
        let box = Unmanaged.passUnretained(buffer).toOpaque()
        png_set_write_fn(
            png, box,
            { p, data, length in
                guard let p, let data, let io = png_get_io_ptr(p) else { return }
                Unmanaged<Buffer>.fromOpaque(io).takeUnretainedValue().data.append(data, count: length)
            }, nil)
        png_set_IHDR(
            png, info, png_uint_32(width), png_uint_32(height), 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
            PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT)
        let ppm = png_uint_32((dpi / 0.0254).rounded())
        png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER)
        // tEXt chunks: keys and values must stay alive until png_write_info.
        let keys = text.map { strdup($0.0) }, values = text.map { strdup($0.1) }
        defer { keys.forEach { free($0) }; values.forEach { free($0) } }
        var chunks = (0..<text.count).map { i -> png_text in
            var t = png_text()
            t.compression = PNG_TEXT_COMPRESSION_NONE
            t.key = keys[i]
            t.text = values[i]
            t.text_length = strlen(values[i]!)
            return t
        }
        png_set_text(png, info, &chunks, Int32(chunks.count))
        png_set_compression_level(png, 6)
        png_write_info(png, info)
        rgba.withUnsafeBufferPointer { buf in
            for y in 0..<height {
                png_write_row(png, UnsafeMutablePointer(mutating: buf.baseAddress! + y * width * 4))
            }
        }
        png_write_end(png, nil)
        return buffer.data
    }

    public static func decode(_ data: Data) throws -> Image {
        guard data.count > 8, data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw EngineError("png", "not a PNG file")
        }
        guard let png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nil, nil, nil) else {
            throw EngineError("png", "libpng could not start")
        }
        var info = png_create_info_struct(png)
        var pngOpt: png_structp? = png
        defer { png_destroy_read_struct(&pngOpt, &info, nil) }
        let buffer = Buffer()
        buffer.data = data
        png_set_read_fn(
            png, Unmanaged.passUnretained(buffer).toOpaque(),
            { p, out, length in
                guard let p, let out, let io = png_get_io_ptr(p) else { return }
                let b = Unmanaged<Buffer>.fromOpaque(io).takeUnretainedValue()
                let n = min(length, b.data.count - b.read)
                b.data.copyBytes(to: out, from: b.read..<(b.read + n))
                if n < length { memset(out + n, 0, length - n) }
                b.read += n
            })
        png_read_info(png, info)
        let w = Int(png_get_image_width(png, info)), h = Int(png_get_image_height(png, info))
        guard w > 0, h > 0, w * h <= 200_000_000 else { throw EngineError("png", "image size \(w)×\(h) is out of range") }
        png_set_expand(png)
        png_set_strip_16(png)
        png_set_gray_to_rgb(png)
        png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER)
        png_read_update_info(png, info)
        var rgba = [UInt8](repeating: 0, count: w * h * 4)
        rgba.withUnsafeMutableBufferPointer { buf in
            for y in 0..<h { png_read_row(png, buf.baseAddress! + y * w * 4, nil) }
        }
        var xres: png_uint_32 = 0, yres: png_uint_32 = 0
        var unit: Int32 = 0
        var dpi: Double?
        if png_get_pHYs(png, info, &xres, &yres, &unit) != 0, unit == PNG_RESOLUTION_METER { dpi = Double(xres) * 0.0254 }
        var texts: [String: String] = [:]
        var textPtr: png_textp?
        var n: Int32 = 0
        png_get_text(png, info, &textPtr, &n)
        if let textPtr { for i in 0..<Int(n) { texts[String(cString: textPtr[i].key)] = String(cString: textPtr[i].text) } }
        return Image(width: w, height: h, rgba: rgba, dpi: dpi, text: texts)
    }
}

import CCairo

/// Anti-aliased drawing on an ARGB32 image (Cairo), in pixel coordinates with y down.
/// The only file that talks to Cairo.
public final class Canvas {
    public let width: Int
    public let height: Int
    let surface: OpaquePointer
    let cr: OpaquePointer

    /// Where a canvas draws: pixels, or a vector document written to a file when the canvas is finished.
    public enum Target {
        case image
        case pdf(path: String, title: String)
        case svg(path: String)
    }

    /// A canvas of `width`×`height` units: pixels for an image; points (1/72 in) for PDF and SVG, drawn with
    /// the same calls (Cairo's own surfaces, same fonts).
    public init(width: Int, height: Int, target: Target = .image) throws {
        guard width > 0, height > 0 else { throw EngineError("figure", "cannot create a \(width)×\(height) drawing surface") }
        let s: OpaquePointer?
        switch target {
        case .image: s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        case .pdf(let path, let title):
            s = cairo_pdf_surface_create(path, Double(width), Double(height))
            if let s {
                cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title)
                cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "ecgs")
            }
        case .svg(let path):
            s = cairo_svg_surface_create(path, Double(width), Double(height))
            if let s { cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT) }
        }
        guard let s, cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, let c = cairo_create(s) else {
            throw EngineError("figure", "cannot create a \(width)×\(height) drawing surface")
        }
        self.width = width
        self.height = height
        surface = s
        cr = c
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        fillRect(0, 0, Double(width), Double(height), .white)
    }

    /// Completes a vector document (writes its file); throws when Cairo could not.
    public func finish() throws {
        cairo_surface_finish(surface)
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw EngineError(
                "figure",
                "could not write the figure: "
                    + "\(String(cString: cairo_status_to_string(cairo_surface_status(surface))))")
        }
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    func set(_ c: Color) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a) }

    public func fillRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ c: Color) {
        set(c)
        cairo_rectangle(cr, x, y, w, h)
        cairo_fill(cr)
    }

    public func strokeRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ c: Color, width: Double) {
        set(c)
        cairo_set_line_width(cr, width)
        cairo_rectangle(cr, x, y, w, h)
        cairo_stroke(cr)
    }

    /// A polyline; NaN points break it. `crisp` aligns 1-px lines to pixel centres (grids).
    public func polyline(_ pts: [(Double, Double)], _ c: Color, width: Double, dashed: Bool = false, crisp: Bool = false) {
        guard pts.count >= 2 else { return }
        set(c)
        cairo_set_line_width(cr, width)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        if dashed { var d: [Double] = [4 * width, 3 * width]; cairo_set_dash(cr, &d, 2, 0) } else { cairo_set_dash(cr, nil, 0, 0) }
        var pen = false
        for (x, y) in pts {
            guard x.isFinite, y.isFinite else { pen = false; continue }
            let (px, py) = crisp ? ((x).rounded(.down) + 0.5, (y).rounded(.down) + 0.5) : (x, y)
            if pen { cairo_line_to(cr, px, py) } else { cairo_move_to(cr, px, py); pen = true }
        }
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    public func fillPolygon(_ pts: [(Double, Double)], _ c: Color) {
        guard pts.count >= 3 else { return }
        set(c)
        cairo_move_to(cr, pts[0].0, pts[0].1)
        for p in pts.dropFirst() { cairo_line_to(cr, p.0, p.1) }
        cairo_close_path(cr)
        cairo_fill(cr)
    }

    public func circle(_ x: Double, _ y: Double, _ r: Double, _ c: Color) {
        set(c)
        cairo_arc(cr, x, y, r, 0, 2 * Double.pi)
        cairo_fill(cr)
    }

    public func clip(_ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        cairo_save(cr)
        cairo_rectangle(cr, x, y, w, h)
        cairo_clip(cr)
    }

    public func unclip() { cairo_restore(cr) }

    /// Width of `s` in pixels at `size`.
    public func textWidth(_ s: String, size: Double, bold: Bool = false) -> Double {
        font(size, bold)
        var ext = cairo_text_extents_t()
        cairo_text_extents(cr, s, &ext)
        return ext.x_advance
    }

    func font(_ size: Double, _ bold: Bool) {
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    /// Text anchored at (x, y): `ax` 0 left / 0.5 centre / 1 right, `ay` 0 top / 0.5 middle / 1 baseline-bottom.
    public func text(
        _ s: String, _ x: Double, _ y: Double, size: Double, color: Color = .black, ax: Double = 0, ay: Double = 0.5,
        bold: Bool = false, rotate: Bool = false
    ) {
        guard !s.isEmpty else { return }
        font(size, bold)
        var ext = cairo_text_extents_t()
        cairo_text_extents(cr, s, &ext)
        set(color)
        cairo_save(cr)
        cairo_translate(cr, x, y)
        if rotate { cairo_rotate(cr, -Double.pi / 2) }
        let ascent = size * 0.73 // DejaVu Sans cap height ≈ 0.73 em
        cairo_move_to(cr, -ext.x_advance * ax, ascent * (1 - ay))
        cairo_show_text(cr, s)
        cairo_restore(cr)
    }

    /// Premultiplied BGRA from Cairo as straight RGBA rows (for PNG encoding).
    public func rgba() -> [UInt8] {
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { return [] }
        let stride = Int(cairo_image_surface_get_stride(surface))
        var out = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let p = data + y * stride + x * 4
                let (b, g, r, a) = (p[0], p[1], p[2], p[3])
                let o = (y * width + x) * 4
                if a == 0 { continue }
                out[o] = UInt8(min(255, Int(r) * 255 / Int(a)))
                out[o + 1] = UInt8(min(255, Int(g) * 255 / Int(a)))
                out[o + 2] = UInt8(min(255, Int(b) * 255 / Int(a)))
                out[o + 3] = a
            }
        }
        return out
    }
}

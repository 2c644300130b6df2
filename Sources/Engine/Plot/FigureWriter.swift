import Foundation

/// Renders figures to PNG (with dpi and Title/Software/Source text chunks), PDF and SVG (Cairo's vector
/// surfaces: the same drawing calls, in points), chosen by the file's extension.
public enum FigureWriter {
    public enum Format: String, CaseIterable, Sendable {
        case png, pdf, svg

        /// The format a path's extension names, if any.
        public init?(path: String) { self.init(rawValue: (path as NSString).pathExtension.lowercased()) }
    }

    public static func render(_ f: Figure) throws -> Canvas {
        try f.validate()
        let canvas = try Canvas(width: f.pixelWidth, height: f.pixelHeight)
        draw(f, on: canvas)
        return canvas
    }

    /// Draws `f` at its dpi on `canvas` (pixels, or points when dpi is 72).
    static func draw(_ f: Figure, on canvas: Canvas) {
        switch f.content {
        case .ecg(let paper):
            ECGPaperRenderer().draw(paper, on: canvas, dpi: f.dpi, title: f.title)
        case .axes(let axes, let columns):
            let cols = max(1, columns), rows = (axes.count + cols - 1) / cols
            let top = f.title.isEmpty ? 0 : 24 * f.dpi / 72
            if !f.title.isEmpty {
                canvas.text(f.title, Double(f.pixelWidth) / 2, top / 2 + 2, size: 12 * f.dpi / 72, ax: 0.5, ay: 0.5, bold: true)
            }
            let cw = Double(f.pixelWidth) / Double(cols), ch = (Double(f.pixelHeight) - top) / Double(max(rows, 1))
            let r = AxesRenderer(canvas: canvas, scale: f.dpi / 72)
            for (i, ax) in axes.enumerated() {
                r.draw(ax, x0: Double(i % cols) * cw, y0: top + Double(i / cols) * ch, w: cw, h: ch)
            }
        }
    }

    public static func png(_ f: Figure) throws -> Data {
        let c = try render(f)
        return try PNGCodec.encode(
            width: c.width, height: c.height, rgba: c.rgba(), dpi: f.dpi,
            text: [("Title", f.title), ("Software", "ecgs"), ("Source", f.source)])
    }

    /// A PDF or SVG document of the figure: its size in points (inches × 72), drawn at 72 units per inch.
    public static func vector(_ f: Figure, _ format: Format) throws -> Data {
        try f.validate()
        var g = f
        g.dpi = 72
        let tmp = NSTemporaryDirectory() + "ecgs-figure-\(getpid())-\(UUID().uuidString).\(format.rawValue)"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let target: Canvas.Target = format == .pdf ? .pdf(path: tmp, title: f.title) : .svg(path: tmp)
        do {
            let canvas = try Canvas(width: g.pixelWidth, height: g.pixelHeight, target: target)
            draw(g, on: canvas)
            try canvas.finish()
        }
        guard let data = FileManager.default.contents(atPath: tmp) else {
            throw EngineError(
                "figure",
                "the \(format.rawValue) document was "
                    + "not written")
        }
        return data
    }

    public static func data(_ f: Figure, _ format: Format) throws -> Data {
        format == .png ? try png(f) : try vector(f, format)
    }

    /// Writes the figure atomically as PNG, PDF or SVG, by the path's extension.
    public static func write(_ f: Figure, to path: String) throws {
        guard let format = Format(path: path) else {
            throw EngineError("figure", "'\(path)': figures are written as .png, .pdf or .svg (chosen by the extension)")
        }
        try AtomicFile.write(try data(f, format), to: path, op: "figure")
    }
}

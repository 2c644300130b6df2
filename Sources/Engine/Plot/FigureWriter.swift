import Foundation

/// Renders figures to pixels and PNG files (with dpi and Title/Software/Source text chunks).
public enum FigureWriter {
    public static func render(_ f: Figure) throws -> Canvas {
        try f.validate()
        let canvas = try Canvas(width: f.pixelWidth, height: f.pixelHeight)
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
        return canvas
    }

    public static func png(_ f: Figure) throws -> Data {
        let c = try render(f)
        return try PNGCodec.encode(
            width: c.width, height: c.height, rgba: c.rgba(), dpi: f.dpi,
            text: [("Title", f.title), ("Software", "ecgs"), ("Source", f.source)])
    }

    public static func write(_ f: Figure, to path: String) throws {
        guard path.lowercased().hasSuffix(".png") else { throw EngineError("figure", "'\(path)': figures are written as .png") }
        try AtomicFile.write(try png(f), to: path, op: "figure")
    }
}

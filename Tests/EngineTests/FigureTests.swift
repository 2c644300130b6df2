import Foundation
import Testing
@testable import Engine

/// Figures decoded back with libpng: size, dpi chunk, text chunks, and ECG-paper geometry.
@Suite struct FigureTests {
    func isTrace(_ p: (UInt8, UInt8, UInt8, UInt8)) -> Bool { p.0 < 90 && p.1 < 90 && p.2 < 90 }

    @Test(arguments: [100.0, 300.0])
    func ecgPageGeometry(dpi: Double) throws {
        let r = try WFDB.read(Fixtures.ptbxlSample + "/records100/00000/00001_lr")
        var f = Charts.ecg(r, layout: .twelveLead)
        f.dpi = dpi
        f.source = "FigureTests"
        let img = try PNGCodec.decode(try FigureWriter.png(f))
        #expect(img.width == f.pixelWidth && img.height == f.pixelHeight)
        #expect(abs((img.dpi ?? 0) - dpi) < 0.1)
        #expect(img.text["Software"] == "ecgs" && img.text["Source"] == "FigureTests" && img.text["Title"] == "00001_lr")
        // The calibration pulse's rising edge: 1 mm after the 5 mm margin, from the first row's baseline
        // (12 mm title + 0.6 × 30 mm) up 10 mm (1 mV at 10 mm/mV).
        let mm = dpi / 25.4
        let x = Int((6 * mm).rounded())
        let column = (0..<img.height).filter { y in (x - 1...x + 1).contains { isTrace(img.pixel($0, y)) } }
        let firstRow = column.filter { Double($0) < 31 * mm && Double($0) > 19 * mm }
        let height = Double((firstRow.max() ?? 0) - (firstRow.min() ?? 0)) / mm
        #expect(abs(height - 10) < 0.6, "pulse height \(height) mm")
        // Grid: a major (red) line every 5 mm, minor (pink) lines between.
        let yGrid = Int((12 + 2.5) * mm) // between baselines, away from traces
        var reds = 0, pinks = 0
        for xx in 0..<img.width {
            let p = img.pixel(xx, yGrid)
            if p.0 > 200 && p.1 < 160 { reds += 1 } else if p.0 > 230 && p.1 > 170 && p.1 < 225 { pinks += 1 }
        }
        #expect(reds > 0 && pinks > reds)
        // Text is drawn: dark pixels in the title band.
        let titleDark = (0..<Int(mm * 40)).flatMap { xx in (0..<Int(12 * mm)).map { (xx, $0) } }.filter { isTrace(img.pixel($0.0, $0.1)) }
            .count
        #expect(titleDark > 20)
    }

    /// Tick labels carry as many decimals as the step needs (a 0.25 step once printed 0.25 as "0.2").
    @Test func tickLabels() {
        #expect(Ticks.nice(0, 1, target: 4) == [0, 0.25, 0.5, 0.75, 1])
        #expect(Ticks.nice(0, 1, target: 4).map { Ticks.label($0, step: 0.25) } == ["0", "0.25", "0.50", "0.75", "1.00"])
        #expect([0, 0.2, 0.4].map { Ticks.label($0, step: 0.2) } == ["0", "0.2", "0.4"])
        #expect([0, 20, 40].map { Ticks.label($0, step: 20) } == ["0", "20", "40"])
        #expect(Ticks.label(2.5e-4, step: 1e-4) == "2.5e-04")
    }

    /// Category labels wider than their slot wrap at spaces (bar labels of a 12-row comparison overlapped).
    @Test func categoryLabelsWrapToTheirSlot() throws {
        let r = AxesRenderer(canvas: try Canvas(width: 200, height: 100), scale: 1)
        #expect(r.wrap("NORM", width: 100, size: 9) == ["NORM"])
        let lines = r.wrap("pretrained · baseline · 100 %", width: 60, size: 9)
        #expect(lines.count > 1 && lines.joined(separator: " ") == "pretrained · baseline · 100 %")
        #expect(lines.allSatisfy { r.canvas.textWidth($0, size: 9) <= 60 || !$0.contains(" ") })
    }

    @Test func pngRejectsGarbage() {
        #expect(throws: EngineError("png", "not a PNG file")) { try PNGCodec.decode(Data([1, 2, 3])) }
    }
}

import Foundation
import Testing

@testable import Engine

/// Figures as a Python researcher reads them (matplotlib, scikit-learn's displays): bars from zero, legends
/// off the data, scikit-learn's PR staircase, epochs numbered as the run reports them, vector output.
@Suite struct FigureLayoutTests {
    @Test func barsStartAtZero() throws {
        let f = try Charts.bar(["post", "baseline"], [0.84, 0.82], lo: [0.78, 0.75], hi: [0.89, 0.88], ylabel: "AUROC")
        guard case .axes(let axes, _) = f.content, let ylim = axes[0].ylim else { Issue.record("no axes"); return }
        #expect(ylim.0 == 0 && ylim.1 > 0.89 && ylim.1 < 1)
        let negative = try Charts.bar(["a", "b"], [-2, 3], lo: nil, hi: nil, ylabel: "")
        guard case .axes(let ax2, _) = negative.content, let y2 = ax2[0].ylim else { return }
        #expect(y2.0 < -2 && y2.1 > 3)
        // The PNG decodes at the figure's size (its pixels are checked in barsReachTheAxisInThePixels).
        let png = try PNGCodec.decode(try FigureWriter.png(f))
        #expect(png.width == f.pixelWidth && png.height == f.pixelHeight)
    }

    /// In the pixels — of the PNG, and of the PDF rasterised by poppler's pdftoppm — the first bar's blue reaches
    /// down to the frame's bottom line: the value axis starts at 0.
    @Test func barsReachTheAxisInThePixels() throws {
        let f = try Charts.bar(["post", "baseline"], [0.84, 0.82], lo: nil, hi: nil, ylabel: "AUROC")
        func check(_ img: PNGCodec.Image, _ what: String) {
            func isBlue(_ p: (UInt8, UInt8, UInt8, UInt8)) -> Bool { p.2 > 150 && p.0 < 90 }
            func isDark(_ p: (UInt8, UInt8, UInt8, UInt8)) -> Bool { p.0 < 80 && p.1 < 80 && p.2 < 80 }
            // The column through the first bar: the first blue column from the left, then 10 px into the bar.
            guard let x0 = (0..<img.width).first(where: { x in (0..<img.height).contains { isBlue(img.pixel(x, $0)) } }) else {
                Issue.record("\(what): no bar"); return
            }
            let x = x0 + 10
            let blue = (0..<img.height).filter { isBlue(img.pixel(x, $0)) }
            guard let lowest = blue.max(), let frame = (lowest..<img.height).first(where: { isDark(img.pixel(x, $0)) }) else {
                Issue.record("\(what): no frame under the bar"); return
            }
            #expect(frame - lowest <= 2, "\(what): the bar stops \(frame - lowest) px above the axis")
            // Heights in proportion to the values (0.82 / 0.84) only when the axis starts at 0; a zoomed axis
            // (0.78–0.87, say) would make the second bar a third shorter.
            let columns = (0..<img.width).filter { x in (0..<img.height).contains { isBlue(img.pixel(x, $0)) } }
            let blueColumns = Set(columns)
            guard let gap = (x0..<img.width).first(where: { !blueColumns.contains($0) }),
                let second = columns.first(where: { $0 > gap })
            else { Issue.record("\(what): no second bar"); return }
            let h2 = (0..<img.height).filter { isBlue(img.pixel(second + 10, $0)) }.count
            let ratio = Double(h2) / Double(blue.count)
            #expect(abs(ratio - 0.82 / 0.84) < 0.02, "\(what): bar heights \(blue.count) and \(h2) px")
        }
        check(try PNGCodec.decode(try FigureWriter.png(f)), "PNG")
        let dir = Fixtures.tempDir()
        try FigureWriter.write(f, to: dir + "/bar.pdf")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pdftoppm")
        p.arguments = ["-png", "-r", "100", "-singlefile", dir + "/bar.pdf", dir + "/bar-pdf"]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "pdftoppm (poppler-utils, installed by scripts/bootstrap)")
        let raster = try PNGCodec.decode(try Data(contentsOf: URL(fileURLWithPath: dir + "/bar-pdf.png")))
        #expect(abs(raster.width - f.pixelWidth) <= 1 && abs(raster.height - f.pixelHeight) <= 1)
        check(raster, "PDF")
    }

    @Test func legendGoesWhereTheDataIsNot() {
        let plot = (l: 0.0, t: 0.0, w: 400.0, h: 300.0)
        // A validation AUROC curve rising into the upper right: the legend leaves that corner.
        let curve = (0...40).map { i -> (Double, Double) in (Double(i) * 10, 300 - 280 * (1 - exp(-Double(i) / 8))) }
        let (x, y) = AxesRenderer.legendOrigin(width: 120, height: 40, plot: plot, margin: 6, points: curve)
        let covered = curve.filter { $0.0 >= x && $0.0 <= x + 120 && $0.1 >= y && $0.1 <= y + 40 }
        #expect(covered.isEmpty, "legend at (\(x), \(y)) covers \(covered.count) points")
        // Nothing plotted: the upper right, as matplotlib's first choice.
        let empty = AxesRenderer.legendOrigin(width: 120, height: 40, plot: plot, margin: 6, points: [])
        #expect(empty.0 == 400 - 120 - 6 && empty.1 == 6)
    }

    @Test func precisionRecallStartsLikeScikitLearn() {
        // Recall ascending from (0, 1), scikit-learn's extra point: the first segment is vertical at recall 0,
        // then each recall interval takes the precision of its right end.
        let pts = AxesRenderer.staircase([0, 0.5, 1], [1, 0.8, 0.6])
        #expect(pts.map { [$0.0, $0.1] } == [[0, 1], [0, 0.8], [0.5, 0.8], [0.5, 0.6], [1, 0.6]])
    }

    @Test func titlesNameOneClassAndTheClassesLeftOut() throws {
        let labels = Tensor([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0], shape: [4, 3])
        let scores = Tensor([0.9, 0.2, 0.1, 0.3, 0.8, 0.2, 0.2, 0.1, 0.3, 0.1, 0.7, 0.2], shape: [4, 3])
        let ev = try Evaluation(classes: ["NORM", "MI", "STTC"], scores: scores, labels: labels)
        func title(_ f: Figure) -> String { if case .axes(let a, _) = f.content { return a[0].title }; return "" }
        #expect(title(try Charts.pr(ev, classes: ["NORM"])).hasPrefix("Precision–recall — NORM AP "))
        #expect(title(try Charts.roc(ev, classes: ["NORM"])).hasPrefix("ROC — NORM AUC "))
        #expect(title(try Charts.pr(ev, classes: nil)).hasSuffix("; not drawn: STTC"))
        #expect(title(try Charts.roc(ev, classes: nil)).contains("macro AUROC"))
    }

    @Test func epochsAreNumberedAsTheRunReportsThem() throws {
        let ds = try TrainingTests.data()
        let run = try Recipes.run("post", model: try TrainingTests.tiny(), data: ds, settings: TrainingTests.quick(.post, epochs: 3))
        let xs = Charts.epochPositions(run)
        #expect(xs == [-2, -1, 0, 1, 2, 3], "\(xs)") // 3 preview epochs at −2…0, fine-tuning 1…3
        #expect(Ticks.nice(0.5, 7.5, integer: true).allSatisfy { $0 == $0.rounded() })
        #expect(Ticks.nice(-2.2, 3.2, integer: true).allSatisfy { $0 == $0.rounded() })
    }

    @Test func pdfAndSvgThroughCairo() throws {
        let f = try Charts.line([0, 1, 2], [0, 1, 4], label: "y", xlabel: "x", ylabel: "y", markers: false)
        let pdf = try FigureWriter.data(f, .pdf), svg = try FigureWriter.data(f, .svg)
        #expect(pdf.starts(with: Data("%PDF-".utf8)) && pdf.count > 500)
        let text = String(decoding: svg, as: UTF8.self)
        #expect(text.contains("<svg") && text.contains("width=\"\(Int((f.width * 72).rounded()))pt\""), "\(text.prefix(300))")
        let dir = Fixtures.tempDir()
        try FigureWriter.write(f, to: dir + "/f.pdf")
        try FigureWriter.write(f, to: dir + "/f.SVG")
        #expect(FileManager.default.fileExists(atPath: dir + "/f.pdf") && FileManager.default.fileExists(atPath: dir + "/f.SVG"))
        #expect(throws: EngineError.self) { try FigureWriter.write(f, to: dir + "/f.jpg") }
    }

    @Test func tablesUseOneNumberFormatPerColumnAndSaveFullPrecision() throws {
        let t = try Table(columns: ["variant", "seconds"], rows: [[.text("a"), .number(0.0045)], [.text("b"), .number(8.273e-05)]])
        #expect(t.displayCells().map { $0[1] } == ["4.500e-03", "8.273e-05"])
        let dir = Fixtures.tempDir()
        try Table(columns: ["x"], rows: [[.number(0.123456789012)], [.number(1e-7)], [.number(3)]]).write(dir + "/t.csv")
        #expect(try String(contentsOfFile: dir + "/t.csv", encoding: .utf8) == "x\n0.123456789012\n1e-07\n3\n")
    }
}

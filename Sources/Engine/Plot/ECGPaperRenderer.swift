/// Draws standard ECG paper: 1 mm minor / 5 mm major grid, calibration pulse (1 mV × 0.2 s), traces at
/// `speed` mm/s and `gain` mm/mV, lead labels. 12-lead layout: 3 rows × 4 columns of 2.5 s
/// (I II III | aVR aVL aVF | V1 V2 V3 | V4 V5 V6, each column its own time window) plus a 10 s lead II
/// rhythm strip; stacked layout: one row per lead. At most the first 10 s are drawn.
struct ECGPaperRenderer {
    static let marginMM = 5.0, calibrationMM = 10.0, titleMM = 12.0, bottomMM = 4.0

    /// Page size in mm for a paper.
    static func pageSize(_ p: ECGPaper) -> (Double, Double) {
        let seconds = min(10, p.record.seconds)
        switch layoutOf(p) {
        case .twelveLead:
            return (marginMM * 2 + calibrationMM + 10 * p.speed, titleMM + 4 * rowMM(p, rows: 4) + bottomMM)
        case .stack:
            let n = max(1, p.record.leads.count)
            return (marginMM * 2 + calibrationMM + max(seconds, 1) * p.speed, titleMM + Double(n) * rowMM(p, rows: n) + bottomMM)
        }
    }

    static func rowMM(_ p: ECGPaper, rows: Int) -> Double { rows > 6 ? 20 : (rows == 1 ? 40 : 30) }

    static let twelveLeadColumns = [["I", "II", "III"], ["AVR", "AVL", "AVF"], ["V1", "V2", "V3"], ["V4", "V5", "V6"]]

    /// The 12-lead layout needs the standard lead names; otherwise the stacked layout is used.
    static func layoutOf(_ p: ECGPaper) -> ECGPaper.Layout {
        let names = Set(p.record.leads.map { $0.uppercased() })
        return p.layout == .twelveLead && twelveLeadColumns.flatMap { $0 }.allSatisfy(names.contains) ? .twelveLead : .stack
    }

    static func displayName(_ s: String) -> String {
        switch s.uppercased() {
        case "AVR": return "aVR";
        case "AVL": return "aVL";
        case "AVF": return "aVF";
        default: return s
        }
    }

    func draw(_ p: ECGPaper, on canvas: Canvas, dpi: Double, title: String) {
        let mm = dpi / 25.4
        let (wmm, hmm) = Self.pageSize(p)
        let gridTop = Self.titleMM * mm, gridBottom = (hmm - Self.bottomMM) * mm
        let gridLeft = 0.0, gridRight = wmm * mm
        // Grid: minor lines every mm, major every 5 mm (drawn after, on top).
        for major in [false, true] {
            let step = major ? 5.0 : 1.0
            let c = major ? Color.ecgMajor : Color.ecgMinor
            let w = major ? max(1, 0.5 * mm / 4) : 1
            var x = 0.0
            while x * mm <= gridRight { canvas.polyline([(x * mm, gridTop), (x * mm, gridBottom)], c, width: w, crisp: true); x += step }
            var y = 0.0
            while gridTop + y * mm <= gridBottom {
                canvas.polyline([(gridLeft, gridTop + y * mm), (gridRight, gridTop + y * mm)], c, width: w, crisp: true); y += step
            }
        }
        canvas.text(title, Self.marginMM * mm, Self.titleMM * mm / 2, size: max(8, 3.2 * mm), ax: 0, ay: 0.5, bold: true)
        // The gain's unit is what the signal is in: mV for raw records, standard deviations after z-scoring,
        // arbitrary units for a tensor of unknown scale.
        let unit =
            (p.record.preprocessing.map { $0.zscore != .none } ?? false)
            ? "s.d." : (Set(p.record.units).count == 1 ? p.record.units[0] : "mV")
        canvas.text(
            "\(Table.format(p.speed)) mm/s   \(Table.format(p.gain)) mm/\(unit)   \(Table.format(p.record.rate)) Hz",
            gridRight - Self.marginMM * mm,
            Self.titleMM * mm / 2, size: max(7, 2.6 * mm), ax: 1, ay: 0.5)
        let rec = p.record
        let L = rec.sampleCount
        let x0 = (Self.marginMM + Self.calibrationMM) * mm
        func trace(lead: Int, from t0: Double, to t1: Double, atX xStart: Double, baseline: Double) {
            guard lead >= 0, L > 0 else { return }
            let i0 = max(0, Int((t0 * rec.rate).rounded())), i1 = min(L, Int((t1 * rec.rate).rounded()))
            guard i1 > i0 else { return }
            var pts: [(Double, Double)] = []
            pts.reserveCapacity(i1 - i0)
            for i in i0..<i1 {
                let v = Double(rec.signal.data[lead * L + i])
                let t = Double(i) / rec.rate - t0
                pts.append((xStart + t * p.speed * mm, v.isFinite ? baseline - v * p.gain * mm : .nan))
            }
            canvas.polyline(pts, .ecgTrace, width: max(1, 0.3 * mm), crisp: false)
        }
        func calibration(baseline: Double) {
            let xs = Self.marginMM * mm, u = p.gain * mm, wpx = 0.2 * p.speed * mm
            canvas.polyline(
                [
                    (xs, baseline), (xs + 1 * mm, baseline), (xs + 1 * mm, baseline - u), (xs + 1 * mm + wpx, baseline - u),
                    (xs + 1 * mm + wpx, baseline), (xs + 2 * mm + wpx, baseline)
                ], .ecgTrace, width: max(1, 0.3 * mm))
        }
        func index(_ name: String) -> Int { rec.leads.firstIndex { $0.uppercased() == name } ?? -1 }
        let fs = max(7, 3 * mm)
        switch Self.layoutOf(p) {
        case .twelveLead:
            let rowH = Self.rowMM(p, rows: 4) * mm
            for r in 0..<4 {
                let baseline = gridTop + (Double(r) + 0.6) * rowH
                calibration(baseline: baseline)
                if r < 3 {
                    for (c, col) in Self.twelveLeadColumns.enumerated() {
                        let xs = x0 + Double(c) * 2.5 * p.speed * mm
                        trace(lead: index(col[r]), from: Double(c) * 2.5, to: Double(c + 1) * 2.5, atX: xs, baseline: baseline)
                        canvas.text(Self.displayName(col[r]), xs + 1 * mm, baseline - 0.45 * rowH, size: fs, ax: 0, ay: 0.5, bold: true)
                        if c > 0 { canvas.polyline([(xs, baseline - 3 * mm), (xs, baseline + 3 * mm)], .ecgTrace, width: max(1, 0.3 * mm)) }
                    }
                } else {
                    trace(lead: index("II"), from: 0, to: 10, atX: x0, baseline: baseline)
                    canvas.text("II", x0 + 1 * mm, baseline - 0.45 * rowH, size: fs, ax: 0, ay: 0.5, bold: true)
                }
            }
        case .stack:
            let n = max(1, rec.leads.count)
            let rowH = Self.rowMM(p, rows: n) * mm
            for l in 0..<rec.leads.count {
                let baseline = gridTop + (Double(l) + 0.6) * rowH
                calibration(baseline: baseline)
                trace(lead: l, from: 0, to: 10, atX: x0, baseline: baseline)
                canvas.text(Self.displayName(rec.leads[l]), x0 + 1 * mm, baseline - 0.45 * rowH, size: fs, ax: 0, ay: 0.5, bold: true)
            }
        }
    }
}

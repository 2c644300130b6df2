import Foundation

/// Draws `Axes` into a pixel rectangle of a canvas: frame, grid, ticks, labels, artists, legend.
struct AxesRenderer {
    let canvas: Canvas
    let scale: Double // pixels per point (dpi / 72)

    func xs(of a: Artist) -> [Double] {
        switch a {
        case .line(let x, _, _, _, _, _), .step(let x, _, _, _, _), .markers(let x, _, _, _, _), .fill(let x, _, _, _, _): return x
        case .bars(let x, _, let w, _, _, _, _): return x.flatMap { [$0 - w / 2, $0 + w / 2] }
        case .text(let x, _, _, _, _): return [x]
        }
    }
    func ys(of a: Artist) -> [Double] {
        switch a {
        case .line(_, let y, _, _, _, _), .step(_, let y, _, _, _), .markers(_, let y, _, _, _): return y
        case .fill(_, let lo, let hi, _, _): return lo + hi
        case .bars(_, let h, _, _, let el, let eh, _):
            return h + [0] + zip(h, el ?? h.map { _ in 0 }).map { $0 - $1 } + zip(h, eh ?? h.map { _ in 0 }).map { $0 + $1 }
        case .text(_, let y, _, _, _): return [y]
        }
    }

    func draw(_ ax: Axes, x0: Double, y0: Double, w: Double, h: Double) {
        let fs = 9 * scale
        let left = x0 + 62 * scale, right = x0 + w - 14 * scale
        // Category labels wrap at spaces to fit their slot; the plot area gives up room for the extra lines.
        let categories = ax.xticklabels.map { names in
            names.map { wrap($0, width: 0.95 * (right - left) / Double(max(names.count, 1)), size: fs) }
        }
        let extraLines = Double(max(0, (categories?.map(\.count).max() ?? 1) - 1))
        // A long title wraps (at spaces) to the panel's width instead of running off the figure.
        let titleLines = ax.title.isEmpty ? [] : wrap(ax.title, width: w - 48 * scale, size: 11 * scale) // bold text is ~8 % wider
        let top = y0 + (ax.title.isEmpty ? 12 : 28 + 14 * Double(max(0, titleLines.count - 1))) * scale
        let bottom = y0 + h - (ax.xlabel.isEmpty ? 30 : 44) * scale - extraLines * 1.2 * fs
        var pw = right - left, ph = bottom - top
        guard pw > 10, ph > 10 else { return }
        var (xlo, xhi) = ax.xlim ?? Ticks.range(ax.artists.flatMap(xs(of:)), pad: 0.02)
        var (ylo, yhi) = ax.ylim ?? Ticks.range(ax.artists.flatMap(ys(of:)))
        if xhi <= xlo { xhi = xlo + 1 }
        if yhi <= ylo { yhi = ylo + 1 }
        var (pl, pt) = (left, top)
        if ax.equalAspect {
            let s = min(pw / (xhi - xlo), ph / (yhi - ylo))
            let nw = s * (xhi - xlo), nh = s * (yhi - ylo)
            pl += (pw - nw) / 2; pt += (ph - nh) / 2; pw = nw; ph = nh
        }
        func X(_ x: Double) -> Double { pl + (x - xlo) / (xhi - xlo) * pw }
        func Y(_ y: Double) -> Double { pt + ph - (y - ylo) / (yhi - ylo) * ph }
        for (i, line) in titleLines.enumerated() {
            canvas.text(line, x0 + w / 2, y0 + (12 + 14 * Double(i)) * scale, size: 11 * scale, ax: 0.5, ay: 0.5, bold: true)
        }
        let xt = ax.xticklabels == nil ? Ticks.nice(xlo, xhi, integer: ax.integerX) : Array(0..<(ax.xticklabels!.count)).map(Double.init)
        let yt = Ticks.nice(ylo, yhi)
        let gridColor = Color(0.88, 0.88, 0.88)
        for t in xt where t >= xlo && t <= xhi {
            if ax.grid { canvas.polyline([(X(t), pt), (X(t), pt + ph)], gridColor, width: max(1, 0.6 * scale), crisp: true) }
            let lines = categories.map { $0[Int(t)] } ?? [Ticks.label(t, step: xt.count > 1 ? xt[1] - xt[0] : 1)]
            canvas.polyline([(X(t), pt + ph), (X(t), pt + ph + 4 * scale)], .black, width: max(1, 0.8 * scale))
            for (i, line) in lines.enumerated() {
                canvas.text(line, X(t), pt + ph + 6 * scale + Double(i) * 1.2 * fs, size: fs, ax: 0.5, ay: 0)
            }
        }
        for t in yt where t >= ylo && t <= yhi {
            if ax.grid { canvas.polyline([(pl, Y(t)), (pl + pw, Y(t))], gridColor, width: max(1, 0.6 * scale), crisp: true) }
            canvas.polyline([(pl - 4 * scale, Y(t)), (pl, Y(t))], .black, width: max(1, 0.8 * scale))
            canvas.text(Ticks.label(t, step: yt.count > 1 ? yt[1] - yt[0] : 1), pl - 6 * scale, Y(t), size: fs, ax: 1, ay: 0.5)
        }
        canvas.text(ax.xlabel, pl + pw / 2, y0 + h - 10 * scale, size: 10 * scale, ax: 0.5, ay: 0.5)
        canvas.text(ax.ylabel, x0 + 12 * scale, pt + ph / 2, size: 10 * scale, ax: 0.5, ay: 0.5, rotate: true)
        canvas.clip(pl, pt, pw, ph)
        for a in ax.artists {
            switch a {
            case .line(let x, let y, let c, let wd, let dashed, _):
                canvas.polyline(zip(x, y).map { (X($0), Y($1)) }, c, width: wd * scale, dashed: dashed)
            case .step(let x, let y, let c, let wd, _):
                canvas.polyline(Self.staircase(x, y).map { (X($0.0), Y($0.1)) }, c, width: wd * scale)
            case .markers(let x, let y, let c, let size, _):
                for (a, b) in zip(x, y) where a.isFinite && b.isFinite { canvas.circle(X(a), Y(b), size * scale, c) }
            case .fill(let x, let lo, let hi, let c, _):
                canvas.fillPolygon(zip(x, hi).map { (X($0), Y($1)) } + zip(x, lo).reversed().map { (X($0), Y($1)) }, c)
            case .bars(let x, let hs, let bw, let c, let el, let eh, _):
                for (i, (xc, hv)) in zip(x, hs).enumerated() where hv.isFinite {
                    let x1 = X(xc - bw / 2), x2 = X(xc + bw / 2)
                    let yb = Y(max(ylo, 0)), yv = Y(hv)
                    canvas.fillRect(x1, min(yb, yv), x2 - x1, abs(yb - yv), c)
                    if let el, let eh, el[i].isFinite, eh[i].isFinite {
                        let lo = Y(hv - el[i]), hi = Y(hv + eh[i]), xm = X(xc), cap = (x2 - x1) * 0.2
                        canvas.polyline([(xm, lo), (xm, hi)], .black, width: 1.2 * scale)
                        canvas.polyline([(xm - cap, lo), (xm + cap, lo)], .black, width: 1.2 * scale)
                        canvas.polyline([(xm - cap, hi), (xm + cap, hi)], .black, width: 1.2 * scale)
                    }
                }
            case .text(let x, let y, let s, let c, let size):
                canvas.text(s, X(x), Y(y), size: size * scale, color: c, ax: 0, ay: 0.5)
            }
        }
        canvas.unclip()
        canvas.strokeRect(pl, pt, pw, ph, .black, width: max(1, 0.8 * scale))
        if ax.legend {
            // The plotted points in pixels, for placing the legend where there are fewest.
            var points: [(Double, Double)] = []
            for a in ax.artists {
                switch a {
                case .line(let x, let y, _, _, _, _), .step(let x, let y, _, _, _), .markers(let x, let y, _, _, _):
                    points += densify(zip(x, y).map { (X($0), Y($1)) })
                default: break
                }
            }
            legend(ax, pl: pl, pt: pt, pw: pw, ph: ph, points: points)
        }
    }

    /// The vertices of a staircase through the points, as scikit-learn draws its precision–recall display
    /// (steps-post over decreasing recall): on (x[i-1], x[i]] the value is y[i], so the curve starts with a vertical
    /// segment at the first x.
    static func staircase(_ x: [Double], _ y: [Double]) -> [(Double, Double)] {
        var pts: [(Double, Double)] = []
        for i in x.indices {
            if i > 0 { pts.append((x[i - 1], y[i])) }
            pts.append((x[i], y[i]))
        }
        return pts
    }

    /// A polyline's vertices plus points every 2 px along it, so a legend box over a long segment counts as covering it.
    func densify(_ pts: [(Double, Double)]) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        for (i, p) in pts.enumerated() where p.0.isFinite && p.1.isFinite {
            if i > 0, pts[i - 1].0.isFinite, pts[i - 1].1.isFinite {
                let q = pts[i - 1], n = Int(min(400, (hypot(p.0 - q.0, p.1 - q.1) / 2).rounded(.up)))
                if n > 1 {
                    for k in 1..<n { out.append((q.0 + (p.0 - q.0) * Double(k) / Double(n), q.1 + (p.1 - q.1) * Double(k) / Double(n))) }
                }
            }
            out.append(p)
        }
        return out
    }

    /// Where the legend box goes: of the four corners and the middle of each side, the one covering the fewest
    /// plotted points (matplotlib's `loc="best"`), the first in that order on a tie.
    static func legendOrigin(
        width bw: Double, height bh: Double, plot: (l: Double, t: Double, w: Double, h: Double), margin m: Double,
        points: [(Double, Double)]
    ) -> (Double, Double) {
        let (pl, pt, pw, ph) = plot
        let xs = [pl + pw - bw - m, pl + m], ys = [pt + m, pt + ph - bh - m, pt + (ph - bh) / 2]
        var best = (xs[0], ys[0]), fewest = Int.max
        for y in ys {
            for x in xs {
                let n = points.filter { $0.0 >= x && $0.0 <= x + bw && $0.1 >= y && $0.1 <= y + bh }.count
                if n < fewest { fewest = n; best = (x, y) }
            }
        }
        return best
    }

    func legend(_ ax: Axes, pl: Double, pt: Double, pw: Double, ph: Double, points: [(Double, Double)]) {
        var entries: [(String, Color, Bool)] = [] // label, colour, dashed
        for a in ax.artists {
            switch a {
            case .line(_, _, let c, _, let d, let l?): entries.append((l, c, d))
            case .step(_, _, let c, _, let l?), .markers(_, _, let c, _, let l?), .fill(_, _, _, let c, let l?),
                .bars(_, _, _, let c, _, _, let l?):
                entries.append((l, c, false))
            default: break
            }
        }
        guard !entries.isEmpty else { return }
        let fs = 8 * scale, lh = 12 * scale
        let tw = entries.map { canvas.textWidth($0.0, size: fs) }.max() ?? 0
        let bw = tw + 34 * scale, bh = Double(entries.count) * lh + 6 * scale
        let (x, y) = Self.legendOrigin(width: bw, height: bh, plot: (pl, pt, pw, ph), margin: 6 * scale, points: points)
        canvas.fillRect(x, y, bw, bh, Color(1, 1, 1, 0.85))
        canvas.strokeRect(x, y, bw, bh, Color(0.7, 0.7, 0.7), width: max(1, 0.6 * scale))
        for (i, e) in entries.enumerated() {
            let cy = y + 3 * scale + (Double(i) + 0.5) * lh
            canvas.polyline([(x + 5 * scale, cy), (x + 24 * scale, cy)], e.1, width: 2 * scale, dashed: e.2)
            canvas.text(e.0, x + 29 * scale, cy, size: fs, ax: 0, ay: 0.5)
        }
    }

    /// `s` broken at spaces into lines no wider than `width` (a longer single word keeps its own line).
    func wrap(_ s: String, width: Double, size: Double) -> [String] {
        guard canvas.textWidth(s, size: size) > width else { return [s] }
        var lines: [String] = [], line = ""
        for word in s.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if line.isEmpty || canvas.textWidth(candidate, size: size) <= width {
                line = candidate
            } else {
                lines.append(line); line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

import Engine
import Foundation

/// Text forms of values: `inline` (print, interpolation), `repr` (short, strings quoted) and `block`
/// (what an expression statement shows: NumPy-like tensors, tables for datasets, models, evaluations).
public enum Display {
    public static func inline(_ v: Value) -> String {
        switch v {
        case .string(let s): return s
        default: return repr(v)
        }
    }

    public static func repr(_ v: Value) -> String {
        switch v {
        case .number(let x): return formatNumber(x)
        case .string(let s): return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
        case .bool(let b): return b ? "true" : "false"
        case .nil_: return "nil"
        case .list(let l):
            let items = l.items.prefix(100).map(repr)
            return "[" + items.joined(separator: ", ") + (l.items.count > 100 ? ", … (\(l.items.count) items)" : "") + "]"
        case .dict(let d): return "{" + d.pairs.map { "\($0.0): \(repr($0.1))" }.joined(separator: ", ") + "}"
        case .function(let c): return "<fn \(c.name)(\(c.decl.params.map(\.name).joined(separator: ", ")))>"
        case .builtin(let b): return "<built-in \(b.name)>"
        case .range(let a, let b, let s): return s == 1 ? "range(\(a), \(b))" : "range(\(a), \(b), \(s))"
        case .tensor(let t): return "Tensor(\(shapeString(t.shape)))"
        case .record(let r): return "Record(\(r.name), \(r.leads.count) leads × \(r.sampleCount) at \(formatNumber(r.rate)) Hz)"
        case .dataset(let d): return "Dataset(\(d.name), \(d.split), \(d.count) records)"
        case .model(let m): return "Model(Net1D, \(m.config.leads) leads, \(m.classes) classes, \(m.parameterCount) parameters)"
        case .run(let r): return "Run(\(r.recipe), best epoch \(r.bestEpoch.map(String.init) ?? "–"), val AUROC \(Table.format(r.bestValAUROC)))"
        case .evaluation(let e): return "Evaluation(AUROC \(Table.format(e.auroc)), AUPRC \(Table.format(e.auprc)))"
        case .figure(let f): return "Figure(\(f.title.isEmpty ? "untitled" : f.title), \(f.pixelWidth)×\(f.pixelHeight) px)"
        case .table(let t): return "Table(\(t.rows.count) rows × \(t.columns.count) columns)"
        }
    }

    public static func block(_ v: Value) -> String {
        switch v {
        case .tensor(let t): return tensor(t)
        case .record(let r):
            return "Record \(r.name): \(r.leads.count) leads × \(r.sampleCount) samples at \(formatNumber(r.rate)) Hz (\(String(format: "%.1f", r.seconds)) s)\n"
                + "leads: \(r.leads.joined(separator: " "))\n" + (r.labels.isEmpty ? "" : "labels: \(r.labels.joined(separator: ", "))\n")
        case .dataset(let d): return dataset(d)
        case .model(let m): return model(m)
        case .run(let r): return run(r)
        case .evaluation(let e): return evaluation(e)
        case .table(let t): return t.rendered()
        default: return repr(v)
        }
    }

    static func num(_ x: Float, width: Int, decimals: Int) -> String {
        let s = x.isNaN ? "nan" : String(format: "%.\(decimals)f", x)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }

    /// NumPy-style: shape and dtype, then the body with at most 3 leading and trailing items per
    /// dimension when the tensor has more than 1000 elements.
    public static func tensor(_ t: Tensor) -> String {
        let header = "Tensor \(shapeString(t.shape)) float32\(t.requiresGrad ? ", requires_grad" : "")"
        if t.rank == 0 { return header + "\n" + formatNumber(Double(t.data[0])) + "\n" }
        let summarise = t.count > 1000
        let vals = t.values
        let allInt = vals.allSatisfy { $0 == $0.rounded() && abs($0) < 1e7 }
        let maxAbs = vals.map { abs($0) }.filter { $0.isFinite }.max() ?? 0
        let decimals = allInt ? 0 : (maxAbs >= 1e4 || (maxAbs < 1e-3 && maxAbs > 0) ? -1 : 4)
        func fmt(_ x: Float) -> String {
            if decimals < 0 { return String(format: "%.4e", x) }
            return decimals == 0 ? String(Int64(x)) : String(format: "%.4f", x)
        }
        let width = vals.prefix(5000).map { fmt($0).count }.max() ?? 1
        let strides = Tensor.strides(of: t.shape)
        func render(_ dim: Int, _ offset: Int, _ indent: String) -> String {
            let n = t.shape[dim]
            var idx = Array(0..<n)
            var gap = false
            if summarise && n > 6 { idx = [0, 1, 2, n - 3, n - 2, n - 1]; gap = true }
            if dim == t.rank - 1 {
                var parts = idx.map { i -> String in let s = fmt(vals[offset + i * strides[dim]]); return String(repeating: " ", count: width - s.count) + s }
                if gap { parts.insert("...", at: 3) }
                return "[" + parts.joined(separator: ", ") + "]"
            }
            var parts = idx.map { render(dim + 1, offset + $0 * strides[dim], indent + " ") }
            if gap { parts.insert("...", at: 3) }
            let sep = "," + String(repeating: "\n", count: t.rank - dim - 1) + indent + " "
            return "[" + parts.joined(separator: sep) + "]"
        }
        return header + "\n" + render(0, 0, "") + "\n"
    }

    static func dataset(_ d: ECGDataset) -> String {
        var out = "\(d.name) — \(d.split): \(d.count) records, \(d.leads.count) leads × \(d.length) samples at \(formatNumber(d.rate)) Hz"
        out += d.standardization.map { String(format: ", standardised (mean %.4g, std %.4g)", $0.mean, $0.std) } ?? ""
        return out + "\n" + ((try? Tables.counts(d, totals: true).rendered()) ?? "")
    }

    static func model(_ m: Net1D) -> String {
        "Net1D: \(m.config.leads) leads, \(m.classes) classes, \(m.parameterCount) parameters\n" + ((try? Tables.summary(m).rendered()) ?? "")
    }

    static func run(_ r: Run) -> String {
        var out = "Run '\(r.recipe)': \(r.history.count) epochs in \(String(format: "%.1f", r.seconds)) s"
        out += r.bestEpoch.map { ", best epoch \($0) (val AUROC \(Table.format(r.bestValAUROC)))" } ?? ""
        out += r.interrupted ? ", interrupted (best model so far kept)" : ""
        guard var table = try? Tables.history(r) else { return out + "\n" }
        table.title = ""
        return out + "\n" + table.rendered()
    }

    /// One line per finished epoch, for terminals and notebooks.
    public static func epochLine(_ r: EpochRecord, best: Bool) -> String {
        "\(r.phase) epoch \(r.epoch): " + String(format: "train loss %.4f  val loss %.4f  val AUROC %.4f  AUPRC %.4f  (%.1f s)",
                                                  r.trainLoss, r.valLoss, r.valAUROC, r.valAUPRC, r.seconds) + (best ? "  *best" : "")
    }

    static func evaluation(_ e: Evaluation) -> String {
        func ci(_ c: (Double, Double)?) -> String { c.map { "[\(Table.format($0.0)), \(Table.format($0.1))]" } ?? "" }
        var out = "Evaluation of \(e.classes.count) classes on \(e.sizeDescription)"
        out += e.bootstrapSamples > 0 ? ", 90 % bootstrap intervals from \(e.bootstrapSamples) resamples\(e.bootstrapStrict ? "" : " (not strict: each averaged over the classes it has)")\n" : "\n"
        out += "macro AUROC \(Table.format(e.auroc)) \(ci(e.aurocCI))\n"
        out += "macro AUPRC \(Table.format(e.auprc)) \(ci(e.auprcCI))\n"
        out += "Fmax        \(Table.format(e.fmax))\n"
        if let w = e.fewPositivesWarning { out += "warning: \(w)\n" }
        if !e.undefinedClasses.isEmpty { out += "AUROC undefined (one label value only, left out of the macro AUROC): \(e.undefinedClasses.joined(separator: ", "))\n" }
        if !e.classesWithoutPositives.isEmpty {
            out += "no positive: \(e.classesWithoutPositives.joined(separator: ", ")) — "
            out += e.emptyClasses == .zero ? "AUPRC 0, counted in the macro AUPRC (scikit-learn; empty_classes=\"exclude\" leaves them out)\n"
                                           : "left out of the macro AUPRC (empty_classes=\"exclude\")\n"
        }
        return out
    }
}

import Engine
import Foundation

/// Text forms of values: `inline` (print, interpolation), `repr` (short, strings quoted) and `block`
/// (what an expression statement shows), each read from the value's `TypeDescriptor`; and the NumPy-like
/// tensor text.
public enum Display {
    public static func inline(_ v: Value) -> String {
        switch v {
        case .string(let s): return s
        default: return repr(v)
        }
    }

    /// Short text: the type's `repr`.
    public static func repr(_ v: Value) -> String { v.descriptor.repr(v) }

    /// What an expression statement shows: the type's `block`, else its repr.
    public static func block(_ v: Value) -> String { v.descriptor.block?(v) ?? repr(v) }

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
                var parts = idx.map { i -> String in
                    let s = fmt(vals[offset + i * strides[dim]]); return String(repeating: " ", count: width - s.count) + s
                }
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

    /// One line per finished epoch, for terminals and notebooks.
    public static func epochLine(_ r: EpochRecord, best: Bool) -> String {
        "\(r.phase) epoch \(r.epoch): "
            + String(
                format: "train loss %.4f  val loss %.4f  val AUROC %.4f  AUPRC %.4f  (%.1f s)",
                r.trainLoss, r.valLoss, r.valAUROC, r.valAUPRC, r.seconds) + (best ? "  *best" : "")
    }
}

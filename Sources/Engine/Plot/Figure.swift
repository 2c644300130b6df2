/// An RGBA colour with components in 0…1.
public struct Color: Equatable, Sendable {
    public var r, g, b, a: Double
    public init(_ r: Double, _ g: Double, _ b: Double, _ a: Double = 1) { self.r = r; self.g = g; self.b = b; self.a = a }
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(Double((hex >> 16) & 0xFF) / 255, Double((hex >> 8) & 0xFF) / 255, Double(hex & 0xFF) / 255, alpha)
    }
    public static let black = Color(0, 0, 0), white = Color(1, 1, 1), gray = Color(0.5, 0.5, 0.5)
    /// Matplotlib's tab10 cycle.
    public static let cycle: [Color] = [0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf]
        .map { Color(hex: $0) }
    /// ECG paper: minor (1 mm) and major (5 mm) grid lines, and the trace.
    public static let ecgMinor = Color(hex: 0xF7C6C6), ecgMajor = Color(hex: 0xE8737A), ecgTrace = Color(0, 0, 0)

    /// A named colour (`"red"`, `"C0"`…`"C9"`, `"#1f77b4"`), nil when unknown.
    public static func named(_ s: String) -> Color? {
        let names: [String: Color] = [
            "black": .black, "white": .white, "gray": .gray, "grey": .gray, "red": Color(hex: 0xd62728),
            "blue": Color(hex: 0x1f77b4), "green": Color(hex: 0x2ca02c), "orange": Color(hex: 0xff7f0e),
            "purple": Color(hex: 0x9467bd)
        ]
        if let c = names[s.lowercased()] { return c }
        if s.hasPrefix("C"), let i = Int(s.dropFirst()), i >= 0 { return cycle[i % cycle.count] }
        if s.hasPrefix("#"), s.count == 7, let v = UInt32(s.dropFirst(), radix: 16) { return Color(hex: v) }
        return nil
    }
}

/// Something drawn in data coordinates of an axes.
public enum Artist: Sendable {
    case line(xs: [Double], ys: [Double], color: Color, width: Double, dashed: Bool, label: String?)
    /// A staircase: on (xs[i-1], xs[i]] the value is ys[i] (scikit-learn's precision–recall display).
    case step(xs: [Double], ys: [Double], color: Color, width: Double, label: String?)
    case markers(xs: [Double], ys: [Double], color: Color, size: Double, label: String?)
    /// Filled area between `low` and `high` over `xs`.
    case fill(xs: [Double], low: [Double], high: [Double], color: Color, label: String?)
    /// Bars centred at `xs` with optional symmetric or asymmetric error bars (`errLow`, `errHigh` as offsets).
    case bars(xs: [Double], heights: [Double], width: Double, color: Color, errLow: [Double]?, errHigh: [Double]?, label: String?)
    case text(x: Double, y: Double, text: String, color: Color, size: Double)
}

/// A plot area with its artists, labels, ticks and legend.
public struct Axes: Sendable {
    public var title = ""
    public var xlabel = ""
    public var ylabel = ""
    public var xlim: (Double, Double)?
    public var ylim: (Double, Double)?
    public var grid = true
    public var legend = true
    /// Same scale on both axes (ROC curves).
    public var equalAspect = false
    /// Category labels for the x ticks (bar charts), at x = 0, 1, 2, …
    public var xticklabels: [String]? = nil
    /// Whole-number x ticks only (epochs).
    public var integerX = false
    public var artists: [Artist] = []
    public init() {}
}

/// A 12-lead (or any-lead) ECG on standard paper.
public struct ECGPaper: Sendable {
    public enum Layout: String, Sendable { case twelveLead = "12lead", stack }
    public var record: ECGRecord
    public var layout: Layout
    public var title: String
    /// Paper speed (mm/s) and gain (mm/mV).
    public var speed = 25.0
    public var gain = 10.0
    public init(record: ECGRecord, layout: Layout, title: String) {
        self.record = record
        self.layout = layout
        self.title = title
    }
}

/// A figure: a size in inches at a resolution, holding either axes panels or an ECG page.
public struct Figure: Sendable {
    public enum Content: Sendable {
        case axes([Axes], columns: Int)
        case ecg(ECGPaper)
    }
    public var width: Double
    public var height: Double
    public var dpi: Double
    public var title: String
    public var content: Content
    /// Where the figure came from (script and cell), written into the PNG's Source chunk.
    public var source: String = ""
    /// Where the figure was last written (`to=`), so displaying it can point there instead of writing a copy.
    public var savedPath: String?

    public init(width: Double = 6.4, height: Double = 4.8, dpi: Double = 100, title: String = "", content: Content) {
        self.width = width
        self.height = height
        self.dpi = dpi
        self.title = title
        self.content = content
    }

    public var pixelWidth: Int { Int((width * dpi).rounded()) }
    public var pixelHeight: Int { Int((height * dpi).rounded()) }

    public func validate() throws {
        guard dpi >= 10 && dpi <= 1200 else { throw EngineError("figure", "dpi must be between 10 and 1200, got \(dpi)") }
        guard width > 0, height > 0, pixelWidth * pixelHeight <= 100_000_000 else {
            throw EngineError("figure", "size \(width)×\(height) in at \(dpi) dpi is too large (at most 100 megapixels)")
        }
    }
}

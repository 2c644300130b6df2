import Engine

/// A figure (`plot_*`): shown inline by notebooks and the terminal, written by `save`.
enum FigureType {
    static let descriptor = TypeDescriptor(
        "Figure",
        {
            if case .figure(let f) = $0 { return f }; return nil
        },
        fields: [
            FieldOf("width", "inches", get: { .number($0.width) }),
            FieldOf("height", "inches", get: { .number($0.height) }),
            FieldOf("dpi", "dots per inch", get: { .number($0.dpi) }),
            FieldOf("title", "title", get: { .string($0.title) })
        ],
        repr: { f in "Figure(\(f.title.isEmpty ? "untitled" : f.title), \(f.pixelWidth)×\(f.pixelHeight) px)" })
}

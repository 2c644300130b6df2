import Engine

/// A Net1D model (`net1d(…)`, `load_model(…)`, `run.model`); calling it (`m(x)`) is `ModelCall`.
enum ModelType {
    static let descriptor = TypeDescriptor(
        "Model",
        {
            if case .model(let m) = $0 { return m }; return nil
        },
        fields: [
            FieldOf("summary", "layer table", get: { .table(try summary($0)) }),
            FieldOf("parameters", "number of trainable parameters", get: { .number(Double($0.parameterCount)) }),
            FieldOf("state", "dict name → tensor (PyTorch keys)", get: { .dict(DictBox($0.state.map { ($0.0, .tensor($0.1)) })) }),
            FieldOf("classes", "outputs of the head", get: { .number(Double($0.classes)) }),
            FieldOf("leads", "input leads", get: { .number(Double($0.config.leads)) }),
            FieldOf(
                "config", "dict of the configuration",
                get: { m in
                    let c = m.config
                    return .dict(
                        DictBox([
                            ("leads", .number(Double(c.leads))), ("base_filters", .number(Double(c.baseFilters))),
                            ("filters", .list(c.filters.map { .number(Double($0)) })),
                            ("blocks", .list(c.blocks.map { .number(Double($0)) })),
                            ("kernel_size", .number(Double(c.kernelSize))), ("classes", .number(Double(m.classes)))
                        ]))
                })
        ],
        repr: { m in "Model(Net1D, \(m.config.leads) leads, \(m.classes) classes, \(m.parameterCount) parameters)" },
        block: { m in headline(m) + "\n" + (untitledSummary(m)?.rendered() ?? "") },
        html: { m in HTML.headed(headline(m), untitledSummary(m)) })

    /// The layer table under the headline, which already names the network.
    static func untitledSummary(_ m: Net1D) -> Table? {
        guard var t = try? summary(m) else { return nil }
        t.title = ""
        return t
    }

    static func headline(_ m: Net1D) -> String {
        "Net1D: \(m.config.leads) leads, \(m.classes) classes, \(m.parameterCount) parameters"
    }

    static func summary(_ m: Net1D) throws -> Table {
        try Table(
            title: "Net1D", columns: ["layer", "structure", "parameters"],
            rows: m.summaryRows.map { [.text($0.name), .text($0.detail), .number(Double($0.parameters))] })
    }
}

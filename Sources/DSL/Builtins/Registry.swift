/// Every built-in of ECGScript, in one list; `help` and completion are generated from it.
enum Registry {
    static let all: [Builtin] =
        TensorBuiltins.all + DataBuiltins.all + ModelBuiltins.all + TrainingBuiltins.all
        + MetricBuiltins.all + FigureBuiltins.all + GeneralBuiltins.all

    static let byName: [String: Builtin] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// Help topics and the built-ins in each.
    static var topics: [(String, [Builtin])] {
        var order: [String] = []
        for b in all where !order.contains(b.topic) { order.append(b.topic) }
        return order.map { t in (t, all.filter { $0.topic == t }) }
    }
}

/// A layer table for display: one row per stage plus the stem and the head.
extension Net1D {
    public struct SummaryRow: Sendable {
        public let name: String
        public let detail: String
        public let parameters: Int
    }

    public var summaryRows: [SummaryRow] {
        func count(_ prefix: String) -> Int {
            parameters.filter { $0.0.hasPrefix(prefix) }.reduce(0) { $0 + $1.1.count }
        }
        var rows = [
            SummaryRow(
                name: "first_conv", detail: "Conv1d \(config.leads)→\(config.baseFilters), k \(config.kernelSize), stride 2, Swish",
                parameters: count("first_conv.") + count("first_bn."))
        ]
        var inC = config.baseFilters
        for (i, stage) in stages.enumerated() {
            let outC = config.filters[i]
            rows.append(
                SummaryRow(
                    name: "stage_list.\(i)",
                    detail: "\(stage.count) block\(stage.count == 1 ? "" : "s") \(inC)→\(outC), groups \(outC / config.groupsWidth), "
                        + "stride \(config.stride), SE",
                    parameters: count("stage_list.\(i).")))
            inC = outC
        }
        rows.append(
            SummaryRow(name: "dense", detail: "mean over time → Linear \(config.featureCount)→\(classes)", parameters: count("dense.")))
        return rows
    }
}

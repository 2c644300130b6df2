/// The shape of a Net1D network (ECGFounder's backbone). Presets: `ecgfounder` (30.67 M
/// parameters with 71 classes), `small` (2.37 M) and `tiny` (ours, for fast tests).
public struct Net1DConfig: Equatable, Sendable, CustomStringConvertible {
    public var leads: Int
    public var baseFilters: Int
    public var filters: [Int]
    public var blocks: [Int]
    public var kernelSize: Int
    public var stride: Int
    public var groupsWidth: Int
    public var classes: Int
    /// Apply the BatchNorm layers (ECGFounder's official configuration does not).
    public var useBatchNorm: Bool
    /// Apply dropout p = 0.5 before each conv (ECGFounder's official configuration does not).
    public var useDropout: Bool

    public init(
        leads: Int = 12, baseFilters: Int, filters: [Int], blocks: [Int], kernelSize: Int = 16,
        stride: Int = 2, groupsWidth: Int = 16, classes: Int, useBatchNorm: Bool = false, useDropout: Bool = false
    ) {
        self.leads = leads
        self.baseFilters = baseFilters
        self.filters = filters
        self.blocks = blocks
        self.kernelSize = kernelSize
        self.stride = stride
        self.groupsWidth = groupsWidth
        self.classes = classes
        self.useBatchNorm = useBatchNorm
        self.useDropout = useDropout
    }

    /// The named sizes: ECGFounder's, and two smaller ones of ours for quick runs.
    public enum Preset: String, CaseIterable, Sendable { case ecgfounder, small, tiny }

    public static var presetNames: [String] { Preset.allCases.map(\.rawValue) }

    public static func preset(_ name: String, classes: Int = 71, leads: Int = 12) throws -> Net1DConfig {
        guard let p = Preset(rawValue: name) else {
            throw EngineError("net1d", "unknown preset '\(name)' (choose one of \(presetNames.joined(separator: ", ")))")
        }
        return preset(p, classes: classes, leads: leads)
    }

    public static func preset(_ p: Preset, classes: Int = 71, leads: Int = 12) -> Net1DConfig {
        switch p {
        case .ecgfounder:
            return Net1DConfig(
                leads: leads, baseFilters: 64, filters: [64, 160, 160, 400, 400, 1024, 1024],
                blocks: [2, 2, 2, 3, 3, 4, 4], classes: classes)
        case .small:
            return Net1DConfig(
                leads: leads, baseFilters: 16, filters: [16, 32, 32, 80, 80, 256, 256],
                blocks: [2, 2, 2, 3, 3, 4, 4], classes: classes)
        case .tiny:
            return Net1DConfig(
                leads: leads, baseFilters: 16, filters: [16, 16, 32, 32, 48, 48, 64],
                blocks: [1, 1, 1, 1, 1, 2, 1], classes: classes)
        }
    }

    /// Throws when the configuration cannot build (group widths that do not divide, empty stages).
    public func validate() throws {
        guard leads > 0, baseFilters > 0, classes > 0, kernelSize > 0, stride > 0, groupsWidth > 0 else {
            throw EngineError("net1d", "leads, base filters, classes, kernel size, stride and group width must be positive")
        }
        guard filters.count == blocks.count, !filters.isEmpty else {
            throw EngineError("net1d", "\(filters.count) stage widths but \(blocks.count) block counts")
        }
        for (i, f) in filters.enumerated() {
            guard f % groupsWidth == 0, f >= groupsWidth, blocks[i] >= 1 else {
                throw EngineError(
                    "net1d", "stage \(i): \(f) channels is not a positive multiple of the group width \(groupsWidth), or it has no blocks")
            }
        }
        // The head and the first convolution grow with the user's classes and leads: refuse what cannot be allocated
        // (net1d(classes=1468068835) asked for 375 GB and aborted; found by libFuzzer).
        _ = try Tensor.checkedCount([classes, featureCount], op: "net1d")
        _ = try Tensor.checkedCount([baseFilters, leads, kernelSize], op: "net1d")
    }

    public var totalBlocks: Int { blocks.reduce(0, +) }
    public var featureCount: Int { filters.last ?? baseFilters }

    public var description: String {
        "Net1D(leads: \(leads), base: \(baseFilters), filters: \(filters), blocks: \(blocks), kernel: \(kernelSize), classes: \(classes))"
    }
}

extension Net1D {
    /// Keys ECGFounder checkpoints may carry that this configuration does not use (BatchNorm
    /// statistics when BatchNorm is off), accepted and ignored.
    static func isIgnorableKey(_ key: String) -> Bool {
        key.hasSuffix("num_batches_tracked") || key.contains("bn1.") || key.contains("bn2.")
            || key.contains("bn3.") || key.hasPrefix("first_bn.")
    }

    /// Copies tensors into the model by name. Shapes must match; with `strict`, every model key must
    /// be present and every extra key must be ignorable. `skipHead` leaves `dense.*` untouched.
    public func loadState(_ dict: [String: Tensor], strict: Bool = true, skipHead: Bool = false) throws {
        let own = state
        var missing: [String] = []
        for (name, t) in own {
            if skipHead && name.hasPrefix("dense.") { continue }
            guard let src = dict[name] else { missing.append(name); continue }
            guard src.count == t.count, src.shape == t.shape || (src.shape.isEmpty && t.count == 1) else {
                throw EngineError(
                    "load_state", "'\(name)' has shape \(shapeString(src.shape)) in the checkpoint but \(shapeString(t.shape)) in the model"
                )
            }
            t.data.update(from: src.data, count: t.count)
        }
        if strict {
            if !missing.isEmpty {
                throw EngineError(
                    "load_state",
                    "missing keys: \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? " and \(missing.count - 5) more" : "")"
                )
            }
            let ownKeys = Set(own.map(\.0))
            let unexpected = dict.keys.filter { !ownKeys.contains($0) && !Net1D.isIgnorableKey($0) }.sorted()
            if !unexpected.isEmpty {
                let more = unexpected.count > 5 ? " and \(unexpected.count - 5) more" : ""
                throw EngineError("load_state", "unexpected keys: \(unexpected.prefix(5).joined(separator: ", "))\(more)")
            }
        }
    }

    /// Infers the Net1D configuration from state-dict keys and shapes (ECGFounder's naming).
    public static func inferConfig(from dict: [String: Tensor]) throws -> Net1DConfig {
        func need(_ key: String) throws -> Tensor {
            guard let t = dict[key] else { throw EngineError("load_model", "checkpoint has no '\(key)'; it is not a Net1D state dict") }
            return t
        }
        let first = try need("first_conv.conv.weight")
        guard first.rank == 3 else {
            throw EngineError("load_model", "'first_conv.conv.weight' must be 3-D, got \(shapeString(first.shape))")
        }
        var filters: [Int] = [], blocks: [Int] = []
        var groupsWidth = 16
        var i = 0
        while dict["stage_list.\(i).block_list.0.conv1.conv.weight"] != nil {
            var j = 0
            while dict["stage_list.\(i).block_list.\(j).conv1.conv.weight"] != nil { j += 1 }
            let w = try need("stage_list.\(i).block_list.0.conv1.conv.weight")
            let g = try need("stage_list.\(i).block_list.0.conv2.conv.weight")
            guard w.rank == 3, g.rank == 3 else { throw EngineError("load_model", "stage \(i) convolution weights must be 3-D") }
            filters.append(w.shape[0])
            groupsWidth = g.shape[1]
            blocks.append(j)
            i += 1
        }
        guard !filters.isEmpty else {
            throw EngineError("load_model", "checkpoint has no 'stage_list.0.block_list.0.*' keys; it is not a Net1D state dict")
        }
        let dense = try need("dense.weight")
        guard dense.rank == 2 else { throw EngineError("load_model", "'dense.weight' must be 2-D, got \(shapeString(dense.shape))") }
        let k = try need("stage_list.0.block_list.0.conv2.conv.weight").shape[2]
        let config = Net1DConfig(
            leads: first.shape[1], baseFilters: first.shape[0], filters: filters, blocks: blocks,
            kernelSize: k, groupsWidth: groupsWidth, classes: dense.shape[0])
        try config.validate()
        return config
    }
}

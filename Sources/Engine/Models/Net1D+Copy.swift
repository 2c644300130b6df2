extension Net1D {
    /// An independent copy (same configuration and values; head size of this model).
    public func copy() throws -> Net1D {
        var c = config
        c.classes = classes
        let m = try Net1D(c, seed: 0)
        try m.loadState(Dictionary(uniqueKeysWithValues: state.map { ($0.0, $0.1) }), strict: true)
        for (name, t) in parameters { if let o = m.parameters.first(where: { $0.0 == name }) { o.1.requiresGrad = t.requiresGrad } }
        m.transform = transform
        m.pretrained = pretrained
        return m
    }

    /// Values of every state tensor, cloned (a snapshot to restore later).
    public func snapshot() -> [Tensor] { state.map { $0.1.clone() } }

    /// Restores a snapshot taken from this model.
    public func restore(_ snap: [Tensor]) throws {
        for ((_, t), s) in zip(state, snap) { try t.copyValues(from: s) }
    }
}

extension ECGDataset {
    /// Keeps a stratified `fraction` of the training split (folds 1–8) and every validation and test
    /// record. Records are grouped by their rarest label (over the training split); each group keeps
    /// `round(fraction · size)` records, at least one, chosen by `seed`, so every class with training
    /// positives keeps at least one.
    public func subset(fraction: Double, seed: UInt64) throws -> ECGDataset {
        guard fraction > 0 && fraction <= 1 else { throw EngineError("subset", "fraction must be in (0, 1], got \(fraction)") }
        let tr = train
        let counts = tr.classCounts()
        let K = classes.count
        var groups: [Int: [Int]] = [:] // rarest class (or −1 for no label) → record rows
        for r in tr.indices {
            let rarest = (0..<K).filter { targets.data[r * K + $0] > 0.5 }.min { counts[$0] < counts[$1] } ?? -1
            groups[rarest, default: []].append(r)
        }
        var rng = SeededRandom(seed: seed)
        var keep = Set<Int>()
        for key in groups.keys.sorted() {
            var g = groups[key]!
            for i in stride(from: g.count - 1, to: 0, by: -1) { g.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            let n = max(1, Int((fraction * Double(g.count)).rounded()))
            keep.formUnion(g.prefix(n))
        }
        var v = self
        let trainFolds = Set(1...8)
        v.indices = indices.filter { !trainFolds.contains(folds[$0]) || keep.contains($0) }
        v.split = fraction < 1 ? "\(Int((fraction * 100).rounded())) % of training" : split
        return v
    }
}

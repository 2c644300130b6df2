/// Analytic cost of a Net1D forward pass (multiply-adds counted as 2 FLOPs, convolutions and
/// linear layers only — the element-wise work is memory-bound and excluded, as is customary).
extension Net1DConfig {
    public func forwardFLOPs(length: Int) -> Double {
        var flops = 0.0
        func conv(_ cin: Int, _ cout: Int, _ k: Int, _ groups: Int, _ lout: Int) {
            flops += 2 * Double(cout) * Double(cin / groups) * Double(k) * Double(lout)
        }
        var l = (length + 1) / 2
        conv(leads, baseFilters, kernelSize, 1, l)
        var inC = baseFilters
        for (i, outC) in filters.enumerated() {
            for j in 0..<blocks[i] {
                let cin = j == 0 ? inC : outC
                let s = j == 0 ? stride : 1
                conv(cin, outC, 1, 1, l)
                l = (l + s - 1) / s
                conv(outC, outC, kernelSize, outC / groupsWidth, l)
                conv(outC, outC, 1, 1, l)
                flops += 2 * Double(outC * (outC / 2)) * 2 // squeeze-excitation
            }
            inC = outC
        }
        return flops + 2 * Double(featureCount * classes)
    }
}

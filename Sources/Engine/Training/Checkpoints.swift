import Foundation

/// Training checkpoints: `last.safetensors` after every epoch (model, optimiser moments, history) and
/// `best.safetensors` (model only) whenever validation improves. Both are written atomically.
enum Checkpoints {
    static func save(
        dir: String, model: Net1D, optimizer: Optimizer, named: [(String, Tensor)], epoch: Int,
        history: [EpochRecord], isBest: Bool
    ) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let enc = JSONEncoder()
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let hist = String(decoding: try enc.encode(history), as: UTF8.self)
        let optim = optimizer.exportState(named).sorted { $0.key < $1.key }.map { ("optim." + $0.key, $0.value) }
        try SafeTensors.save(
            model.state + optim, metadata: ["epoch": "\(epoch)", "history": hist, "classes": "\(model.classes)"],
            path: dir + "/last.safetensors")
        if isBest { try ModelIO.save(model, path: dir + "/best.safetensors") }
    }

    static func load(dir: String, into model: Net1D, classes: Int) throws -> (epoch: Int, history: [EpochRecord], optim: [String: Tensor]) {
        let path = dir + "/last.safetensors"
        let (tensors, meta) = try SafeTensors.load(path: path)
        guard let e = meta["epoch"].flatMap(Int.init), let h = meta["history"] else {
            throw EngineError("resume", "\(path) is not a training checkpoint (no epoch/history metadata)")
        }
        if let w = tensors["dense.weight"], w.shape.first != classes {
            throw EngineError("resume", "\(path) has a head of \(w.shape.first ?? 0) classes; this dataset has \(classes)")
        }
        try model.replaceHead(classes: classes, seed: 0)
        try model.loadState(tensors.filter { !$0.key.hasPrefix("optim.") }, strict: true)
        let dec = JSONDecoder()
        dec.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let history = try dec.decode([EpochRecord].self, from: Data(h.utf8))
        var optim: [String: Tensor] = [:]
        for (k, v) in tensors where k.hasPrefix("optim.") { optim[String(k.dropFirst(6))] = v }
        return (e, history, optim)
    }
}

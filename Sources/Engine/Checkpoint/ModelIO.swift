import Foundation

/// Loading and saving Net1D models in PyTorch (`.pth`/`.pt`) and safetensors formats.
public enum ModelIO {
    /// Reads a state dict from a `.pth`/`.pt` (torch.save zip) or `.safetensors` file.
    public static func readState(path: String) throws -> [String: Tensor] { try readStateAndMetadata(path: path).tensors }

    /// The state dict and, for safetensors, the file's metadata (empty for PyTorch checkpoints).
    static func readStateAndMetadata(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        if path.hasSuffix(".safetensors") { return try SafeTensors.load(path: path) }
        return (try TorchCheckpoint.load(path: path), [:])
    }

    /// Builds a Net1D from a checkpoint, inferring its configuration. With `classes`, the head is
    /// replaced by a new one of that size (seeded by `seed`).
    public static func loadNet1D(path: String, classes: Int? = nil, seed: UInt64 = 0) throws -> Net1D {
        let (dict, metadata) = try readStateAndMetadata(path: path)
        var config = try Net1D.inferConfig(from: dict)
        let replace = classes.map { $0 != config.classes } ?? false
        if let c = classes { config.classes = c }
        let model = try Net1D(config, seed: seed)
        try model.loadState(dict, strict: true, skipHead: replace)
        if replace { try model.replaceHead(classes: config.classes, seed: seed) }
        // A new head makes a new task: the saved transform (and its classes) belongs to the old one.
        if !replace { model.transform = try InputTransform(metadata: metadata, source: path) }
        model.pretrained = true
        return model
    }

    /// Saves the model's state as safetensors (PyTorch key names), with its configuration as metadata.
    public static func save(_ model: Net1D, path: String) throws {
        guard path.hasSuffix(".safetensors") else {
            throw EngineError("save", "'\(path)': models are saved as .safetensors (load them in PyTorch with safetensors.torch.load_file)")
        }
        let c = model.config
        try SafeTensors.save(
            model.state,
            metadata: [
                "format": "pt", "architecture": "Net1D", "leads": "\(c.leads)", "classes": "\(model.classes)",
                "filters": c.filters.map(String.init).joined(separator: ","), "blocks": c.blocks.map(String.init).joined(separator: ",")
            ].merging(model.transform?.metadata ?? [:]) { a, _ in a }, path: path)
    }
}

import Engine

enum ModelBuiltins {
    static let topic = "models"

    /// Inputs for a model: a dataset view (its standardised inputs), one Record (through the transform
    /// of the model's training data: leads, rate, preprocessing, standardisation), or a `(N, leads, L)`
    /// tensor taken as finished model input (as `ds.x` gives). A Record's probabilities come back named
    /// by class when `named` is set.
    static func run(
        _ a: Args, _ key: String, _ m: Net1D, named: Bool = false, dataset: (ECGDataset) throws -> Tensor,
        tensor: (Tensor) throws -> Tensor
    ) throws -> Value {
        switch a.value(key) {
        case .dataset(let d): return .tensor(try dataset(d))
        case .record(let r):
            guard let transform = m.transform else {
                throw Diagnostic(
                    "\(a.name): this model does not know how its training data were prepared (rate, preprocessing, "
                        + "standardisation): it was not trained by finetune/linear_probe here nor saved after such a run. Give it a "
                        + "dataset (\(a.name)(m, ds.test)) or a prepared tensor (\(a.name)(m, ds.x[0:1]))", at: a.place(key))
            }
            let x = try transform.input(for: r, op: a.name)
            let out = try GradMode.withoutGrad { try tensor(x) }
            guard named, transform.classes.count == out.shape.last else { return .tensor(out) }
            return .dict(DictBox(transform.classes.enumerated().map { ($0.element, .number(Double(out.data[$0.offset]))) }))
        default:
            let t = try a.tensor(key)
            guard t.rank == 3, t.shape[1] == m.config.leads else {
                throw Diagnostic(
                    "\(a.name): a tensor input must be (N, \(m.config.leads) leads, samples), got \(shapeString(t.shape))"
                        + (t.rank == 2 ? " (one record: add a batch axis, e.g. x[0:1] instead of x[0])" : ""), at: a.place(key))
            }
            return .tensor(try GradMode.withoutGrad { try tensor(t) })
        }
    }

    static let all: [Builtin] = [
        Builtin(
            "net1d", topic: topic,
            [
                .choice("preset", default: Net1DConfig.Preset.small),
                .optional("classes", "integer", .number(71)), .optional("leads", "integer", .number(12)),
                .optional("seed", "integer", .number(0))
            ],
            doc: "A randomly initialised Net1D (ECGFounder's architecture; \"tiny\" is ours, for quick runs).",
            example: "m = net1d(preset=\"small\", classes=5)"
        ) { a in
            var c = Net1DConfig.preset(try a.choice("preset", Net1DConfig.Preset.self), classes: try a.int("classes", min: 1))
            c.leads = try a.int("leads", min: 1, max: 1024)
            return .model(try Net1D(c, seed: try a.seed()))
        },
        Builtin(
            "load_model", topic: topic,
            [
                .required("path", ".pth or .safetensors"), .optional("classes", "integer", .nil_),
                .optional("seed", "integer", .number(0))
            ],
            doc:
                "Loads a PyTorch checkpoint (ECGFounder's format: a zip with state_dict) or safetensors, inferring the Net1D "
                + "configuration; classes= replaces the head.",
            example: "m = load_model(\"12_lead_ECGFounder.pth\", classes=5)"
        ) { a in
            .model(try ModelIO.loadNet1D(path: try a.path("path"), classes: try a.optionalInt("classes", min: 1), seed: try a.seed()))
        },
        Builtin(
            "save", topic: topic, [.required("x", "Model, Run, Figure or Table"), .required("path", "file path")],
            doc: "Writes a model as .safetensors (PyTorch key names), a figure as .png, .pdf or .svg (by extension), a table as .csv — "
                + "atomically.",
            example: "save(run.model, \"model.safetensors\")"
        ) { a in
            let path = try a.path("path")
            switch a.value("x") {
            case .model(let m): try ModelIO.save(m, path: path)
            case .run(let r): try ModelIO.save(r.model, path: path)
            case .figure(var f):
                f.source = a.interpreter.file
                try FigureWriter.write(f, to: path)
            case .table(let t): try t.write(path)
            default: throw a.typeError("x", "a Model, Run, Figure or Table")
            }
            return .string(path)
        },
        Builtin(
            "predict", topic: topic, [.required("model", "Model or Run"), .required("data", "Dataset, Record or Tensor (N, leads, L)")],
            doc:
                "Probabilities (sigmoid of the logits), evaluation mode: (N, classes) for a dataset or a prepared tensor (as ds.x gives); "
                + "for one Record, {class: probability} after the transform of the model's training data (leads, rate, preprocessing, "
                + "standardisation), which finetune records in the model and save keeps.",
            example: "p = predict(run.model, ds.test)"
        ) { a in
            let m = try a.model("model")
            return try run(a, "data", m, named: true, dataset: { try Inference.predict(m, $0) }, tensor: { try m.forward($0).sigmoid() })
        },
        Builtin(
            "embed", topic: topic, [.required("model", "Model or Run"), .required("data", "Dataset, Record or Tensor")],
            doc: "Pooled backbone features (N, filters).", example: "f = embed(m, ds.train)"
        ) { a in
            let m = try a.model("model")
            return try run(a, "data", m, dataset: { try Inference.embed(m, $0) }, tensor: { try m.features($0) })
        }
    ]
}

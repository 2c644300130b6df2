import Engine

/// Fields of engine objects (`ds.train`, `m.parameters`, `ev.auroc`), with the docs `help` lists.
enum Members {
    static let docs: [String: [(String, String)]] = [
        "Tensor": [("shape", "dimensions as a list"), ("T", "transpose of the last two dimensions"), ("ndim", "number of dimensions"),
                   ("size", "number of elements"), ("requires_grad", "whether backward() accumulates a gradient (assignable)"),
                   ("grad", "accumulated gradient (nil before backward)"), ("dtype", "element type (float32)")],
        "Record": [("signal", "(leads, samples) tensor in mV"), ("leads", "lead names"), ("rate", "sampling frequency in Hz"),
                   ("labels", "label names"), ("name", "record name"), ("seconds", "duration"), ("samples", "samples per lead"),
                   ("comments", "header comments")],
        "Dataset": [("train", "folds 1–8"), ("val", "fold 9 (model selection)"), ("test", "fold 10 (never for selection)"),
                    ("classes", "class names in target order"), ("count", "records in this view"), ("rate", "Hz"),
                    ("leads", "lead names"), ("length", "samples per record"), ("split", "which view this is"),
                    ("counts", "table of positives per class and split"), ("name", "dataset name"),
                    ("targets", "(records, classes) 0/1 tensor of this view"), ("x", "(records, leads, samples) standardised inputs of this view")],
        "Model": [("summary", "layer table"), ("parameters", "number of trainable parameters"), ("state", "dict name → tensor (PyTorch keys)"),
                  ("classes", "outputs of the head"), ("leads", "input leads"), ("config", "dict of the configuration")],
        "Run": [("model", "the model at the best validation epoch"), ("history", "table of per-epoch losses and metrics"),
                ("best_epoch", "epoch (within fine-tuning) the model comes from"), ("best_val_auroc", "its validation macro AUROC"),
                ("interrupted", "true when Ctrl-C stopped it (best model kept)"), ("seconds", "wall time"), ("recipe", "recipe name"),
                ("settings", "dict of every setting used")],
        "Evaluation": [("auroc", "macro AUROC"), ("auprc", "macro AUPRC (average precision)"), ("per_class", "table of per-class metrics"),
                       ("ci", "dict of 5 %/95 % bootstrap quantiles"), ("fmax", "sample-centric Fmax"), ("classes", "class names"),
                       ("undefined", "classes without both label values (left out of the macro AUROC)"),
                       ("no_positive", "classes without a positive (AUPRC 0 by default, see empty_classes)"), ("scores", "(N, classes) probabilities"),
                       ("labels", "(N, classes) 0/1 labels")],
        "Figure": [("width", "inches"), ("height", "inches"), ("dpi", "dots per inch"), ("title", "title")],
        "Table": [("columns", "column names"), ("rows", "list of dicts"), ("title", "title"), ("<column>", "a column as a list")],
        "dict": [("<key>", "the value at key"), ("keys", "list of keys (when there is no 'keys' entry)")],
    ]

    static func fail(_ v: Value, _ name: String, _ r: SourceRange) -> Diagnostic {
        let names = (docs[v.typeName] ?? []).map(\.0).filter { !$0.hasPrefix("<") }
        let hint = didYouMean(name, among: names)
        return Diagnostic("a \(v.typeName) has no field '\(name)'\(hint)\(names.isEmpty ? "" : "; fields: \(names.joined(separator: ", "))")", at: r)
    }

    static func strings(_ s: [String]) -> Value { .list(s.map(Value.string)) }

    static func get(_ v: Value, _ name: String, at r: SourceRange, interpreter: Interpreter) throws -> Value {
        do {
            switch v {
            case .dict(let d):
                if let x = d[name] { return x }
                if name == "keys" { return strings(d.keys) }
                let hint = didYouMean(name, among: d.keys)
                throw Diagnostic("no key '\(name)' in the dict\(hint)", at: r)
            case .tensor(let t):
                switch name {
                case "shape": return .list(t.shape.map { .number(Double($0)) })
                case "T": return .tensor(try t.t())
                case "ndim": return .number(Double(t.rank))
                case "size": return .number(Double(t.count))
                case "requires_grad": return .bool(t.requiresGrad)
                case "grad": return t.grad.map(Value.tensor) ?? .nil_
                case "dtype": return .string("float32")
                default: break
                }
            case .record(let rec):
                switch name {
                case "signal": return .tensor(rec.signal)
                case "leads": return strings(rec.leads)
                case "rate": return .number(rec.rate)
                case "labels": return strings(rec.labels)
                case "name": return .string(rec.name)
                case "seconds": return .number(rec.seconds)
                case "samples": return .number(Double(rec.sampleCount))
                case "comments": return strings(rec.comments)
                default: break
                }
            case .dataset(let d):
                switch name {
                case "train": return .dataset(d.train)
                case "val": return .dataset(d.val)
                case "test": return .dataset(d.test)
                case "classes": return strings(d.classes)
                case "count": return .number(Double(d.count))
                case "rate": return .number(d.rate)
                case "leads": return strings(d.leads)
                case "length": return .number(Double(d.length))
                case "split": return .string(d.split)
                case "name": return .string(d.name)
                case "targets": return .tensor(d.allTargets())
                case "x": return .tensor(try d.allInputs())
                case "counts": return .table(try Tables.counts(d))
                default: break
                }
            case .model(let m):
                switch name {
                case "summary": return .table(try Tables.summary(m))
                case "parameters": return .number(Double(m.parameterCount))
                case "state": return .dict(DictBox(m.state.map { ($0.0, .tensor($0.1)) }))
                case "classes": return .number(Double(m.classes))
                case "leads": return .number(Double(m.config.leads))
                case "config":
                    let c = m.config
                    return .dict(DictBox([("leads", .number(Double(c.leads))), ("base_filters", .number(Double(c.baseFilters))),
                                          ("filters", .list(c.filters.map { .number(Double($0)) })), ("blocks", .list(c.blocks.map { .number(Double($0)) })),
                                          ("kernel_size", .number(Double(c.kernelSize))), ("classes", .number(Double(m.classes)))]))
                default: break
                }
            case .run(let run):
                switch name {
                case "model": return .model(run.model)
                case "history": return .table(try Tables.history(run))
                case "best_epoch": return run.bestEpoch.map { .number(Double($0)) } ?? .nil_
                case "best_val_auroc": return .number(run.bestValAUROC)
                case "interrupted": return .bool(run.interrupted)
                case "seconds": return .number(run.seconds)
                case "recipe": return .string(run.recipe)
                case "settings": return .dict(DictBox(run.settings.map { ($0.0, Double($0.1).map(Value.number) ?? .string($0.1)) }))
                default: break
                }
            case .evaluation(let e):
                switch name {
                case "auroc": return .number(e.auroc)
                case "auprc": return .number(e.auprc)
                case "fmax": return .number(e.fmax)
                case "classes": return strings(e.classes)
                case "undefined": return strings(e.undefinedClasses)
                case "no_positive": return strings(e.classesWithoutPositives)
                case "scores": return .tensor(e.scores)
                case "labels": return .tensor(e.labels)
                case "per_class":
                    let prev = e.classes.indices.map { k in (0..<e.labels.shape[0]).reduce(0.0) { $0 + Double(e.labels.data[$1 * e.classes.count + k]) } }
                    return .table(try Table(title: "per class", columns: ["class", "positives", "auroc", "auprc"], rows: e.classes.indices.map {
                        [.text(e.classes[$0]), .number(prev[$0]), .number(e.perClassAUROC[$0]), .number(e.perClassAUPRC[$0])] }))
                case "ci":
                    var pairs: [(String, Value)] = []
                    if let c = e.aurocCI { pairs.append(("auroc", .list([.number(c.0), .number(c.1)]))) }
                    if let c = e.auprcCI { pairs.append(("auprc", .list([.number(c.0), .number(c.1)]))) }
                    return .dict(DictBox(pairs))
                default: break
                }
            case .figure(let f):
                switch name {
                case "width": return .number(f.width)
                case "height": return .number(f.height)
                case "dpi": return .number(f.dpi)
                case "title": return .string(f.title)
                default: break
                }
            case .table(let t):
                switch name {
                case "columns": return strings(t.columns)
                case "title": return .string(t.title)
                case "rows": return .list(t.rows.map { row in .dict(DictBox(zip(t.columns, row.map(Convert.cell)).map { ($0, $1) })) })
                default:
                    if t.columns.contains(name) { return .list(try t.column(name).map(Convert.cell)) }
                    let hint = didYouMean(name, among: t.columns + ["columns", "rows", "title"])
                    throw Diagnostic("the table has no column or field '\(name)'\(hint)", at: r)
                }
            default: break
            }
        } catch let e as EngineError { throw Diagnostic(e.description, at: r) }
        throw fail(v, name, r)
    }
}

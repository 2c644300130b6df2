import Engine

/// Anything ECGScript can call — a built-in, a user function, a model — as Crafting Interpreters'
/// `LoxCallable`: a name and parameters that `ArgumentBinder` matches the call against, and a body that
/// receives the bound arguments. Help, completion and messages read the same parameters.
public protocol Callable {
    var name: String { get }
    var parameters: [Param] { get }
    func call(_ args: BoundArguments, interpreter: Interpreter) throws -> Value
}

extension Value {
    /// The callable this value is, if any.
    var callable: Callable? {
        switch self {
        case .builtin(let b): return b
        case .function(let c): return c
        case .model(let m): return ModelCall(model: m)
        default: return nil
        }
    }
}

/// `m(x)`: logits of a `(N, leads, L)` (or one `(leads, L)`) tensor in evaluation mode. The graph is
/// recorded only when `x` takes part in a gradient computation (saliency: `grad(fn(x) { … m(x) … }, x)`).
struct ModelCall: Callable {
    let model: Net1D
    var name: String { "model" }
    var parameters: [Param] { [.required("x", "Tensor (N, \(model.config.leads), samples) or (\(model.config.leads), samples)")] }

    func call(_ args: BoundArguments, interpreter: Interpreter) throws -> Value {
        let (v, place) = args.values["x"] ?? (.nil_, args.range)
        guard case .tensor(let x) = v else {
            throw Diagnostic("model: argument 'x' must be a Tensor (N, \(model.config.leads), samples), got \(v.aTypeName)", at: place)
        }
        do {
            let batch = x.rank == 2 ? try x.reshape([1] + x.shape) : x
            let y = x.requiresGrad || !x.isLeaf ? try model.forward(batch) : try GradMode.withoutGrad { try model.forward(batch) }
            return .tensor(x.rank == 2 ? try y.reshape([y.shape[1]]) : y)
        } catch let e as EngineError {
            throw Diagnostic("model: \(e.message)", at: place)
        }
    }
}

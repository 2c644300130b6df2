/// The closed list of differentiable primitives, as tinygrad's `Ops`: every node of a recorded graph is
/// one of these, and every other differentiable operation is composed from them. Each has its forward and
/// backward side by side in `Primitives+*.swift`, a finite-difference gradient test and a PyTorch
/// comparison (GradientCheckTests, PrimitivesGoldenTests).
public enum Primitive: Hashable, Sendable, CustomStringConvertible {
    case unary(UnaryOp)
    case binary(BinaryOp)
    case pow, affine
    case sum, max, min, logSoftmax
    case matmul, linear
    case conv1d, conv1dSwish, maxPool1d
    case reshape, permute, expand, slice, pad, concat, indexSelect
    case bceWithLogits, nllLoss
    case scaledResidual
    case allReduce

    public static var allCases: [Primitive] {
        UnaryOp.allCases.map(Primitive.unary) + BinaryOp.allCases.map(Primitive.binary)
            + [
                .pow, .affine, .sum, .max, .min, .logSoftmax, .matmul, .linear, .conv1d, .conv1dSwish, .maxPool1d, .reshape, .permute,
                .expand, .slice, .pad, .concat, .indexSelect, .bceWithLogits, .nllLoss, .scaledResidual,
                .allReduce
            ]
    }

    /// The name PyTorch gives the operation (`grad_fn` shows it).
    public var description: String {
        switch self {
        case .unary(let op): return op.rawValue
        case .binary(let op): return op.rawValue
        case .pow: return "pow"
        case .affine: return "affine"
        case .sum: return "sum"
        case .max: return "max"
        case .min: return "min"
        case .logSoftmax: return "log_softmax"
        case .matmul: return "matmul"
        case .linear: return "linear"
        case .conv1d: return "conv1d"
        case .conv1dSwish: return "conv1d_swish"
        case .maxPool1d: return "maxpool1d"
        case .reshape: return "reshape"
        case .permute: return "permute"
        case .expand: return "expand"
        case .slice: return "slice"
        case .pad: return "pad"
        case .concat: return "concat"
        case .indexSelect: return "index_select"
        case .bceWithLogits: return "bce_with_logits"
        case .nllLoss: return "nll_loss"
        case .scaledResidual: return "scaled_residual"
        case .allReduce: return "all_reduce"
        }
    }
}

/// The backward function of a primitive: given the gradient of its output and the output itself, one
/// gradient per input (nil where the input needs none). The output is an argument, never a capture:
/// an output captured by its own backward closure is a reference cycle (output → node → closure →
/// output) that keeps a whole graph alive when it is never given to `backward()`.
typealias BackwardFunction = (_ gradOutput: Tensor, _ output: Tensor) -> [Tensor?]

/// One recorded application of a differentiable primitive: its inputs and its backward function.
final class GradNode {
    let op: Primitive
    let inputs: [Tensor]
    let backward: BackwardFunction

    init(op: Primitive, inputs: [Tensor], backward: @escaping BackwardFunction) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
    }
}

/// Whether operations record the autograd graph. Inference runs inside `GradMode.withoutGrad`.
/// The flag is task-local (and so per thread of synchronous code), never process-global: one
/// caller's inference must not switch off recording for another running at the same time.
public enum GradMode {
    @TaskLocal static var disabled = false

    public static var isEnabled: Bool { !disabled }

    /// Runs `body` without recording gradients (PyTorch's `torch.no_grad()`).
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        try $disabled.withValue(true) { try body() }
    }
}

extension Tensor {
    /// Whether a primitive over `inputs` records its backward function (gradients are on and some input
    /// requires one): what it needs to keep for the backward pass is kept only then.
    static func willRecord(_ inputs: [Tensor]) -> Bool { GradMode.isEnabled && inputs.contains { $0.requiresGrad } }

    /// Builds the result of a primitive, recording `backward` only when some input requires a gradient.
    static func record(
        _ out: Tensor, op: Primitive, inputs: [Tensor],
        backward: @escaping BackwardFunction
    ) -> Tensor {
        OpProfile.forward(op, out, inputs)
        if willRecord(inputs) {
            out.requiresGrad = true
            out.gradFn = GradNode(op: op, inputs: inputs, backward: backward)
        }
        return out
    }

    /// The primitive that produced this tensor in a recorded graph (PyTorch's `grad_fn`); nil for leaves and
    /// for results computed without recording.
    public var gradFunction: Primitive? { gradFn?.op }
}

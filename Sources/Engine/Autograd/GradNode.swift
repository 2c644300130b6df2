/// One recorded application of a differentiable primitive: its inputs and the function that maps
/// the output's gradient to one gradient per input (nil where the input needs none).
final class GradNode {
    let op: String
    let inputs: [Tensor]
    let backward: (Tensor) -> [Tensor?]

    init(op: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
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
    /// Builds the result of a primitive, recording `backward` only when some input requires a gradient.
    static func record(_ out: Tensor, op: String, inputs: [Tensor],
                       backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        if GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad }) {
            out.requiresGrad = true
            out.gradFn = GradNode(op: op, inputs: inputs, backward: backward)
        }
        return out
    }
}

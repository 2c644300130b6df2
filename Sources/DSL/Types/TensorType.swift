import Engine

/// Tensors in ECGScript: fields as PyTorch names them, NumPy-like display, iteration over the first dimension.
enum TensorType {
    static let descriptor = TypeDescriptor(
        "Tensor",
        {
            if case .tensor(let t) = $0 { return t }; return nil
        },
        fields: [
            FieldOf("shape", "dimensions as a list", get: { .list($0.shape.map { .number(Double($0)) }) }),
            FieldOf("T", "transpose of the last two dimensions", get: { .tensor(try $0.t()) }),
            FieldOf("ndim", "number of dimensions", get: { .number(Double($0.rank)) }),
            FieldOf("size", "number of elements", get: { .number(Double($0.count)) }),
            FieldOf(
                "requires_grad", "whether backward() accumulates a gradient", get: { .bool($0.requiresGrad) },
                set: { t, v, r in
                    guard case .bool(let b) = v else { throw Diagnostic("requires_grad must be true or false, got \(v.aTypeName)", at: r) }
                    guard t.isLeaf || !b else {
                        throw Diagnostic("requires_grad can only be set on a leaf tensor (this one is the result of an operation)", at: r)
                    }
                    t.requiresGrad = b
                }),
            FieldOf("grad", "accumulated gradient (nil before backward)", get: { $0.grad.map(Value.tensor) ?? .nil_ }),
            FieldOf(
                "grad_fn", "the primitive that made it in a recorded graph (nil for leaves)",
                get: { $0.gradFunction.map { .string($0.description) } ?? .nil_ }),
            FieldOf("dtype", "element type (float32)", get: { _ in .string("float32") })
        ],
        repr: { "Tensor(\(shapeString($0.shape)))" },
        block: Display.tensor,
        elements: { t, r, body in
            guard t.rank >= 1 else { throw Diagnostic("cannot iterate over a 0-dimensional tensor", at: r) }
            for i in 0..<t.shape[0] where try !body(try Indexing.tensorIndex(t, [.index(i)], at: r)) { return }
        },
        count: { $0.rank == 0 ? 1 : $0.shape[0] })
}

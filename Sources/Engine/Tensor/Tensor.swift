/// An n-dimensional, row-major, contiguous `Float32` tensor with optional gradient tracking.
///
/// Shapes follow PyTorch: a Conv1d input is `(N, C, L)`. Reshapes share storage (views); other
/// layout changes copy. Operations live in extensions (`Tensor+Elementwise.swift`, …) and are built
/// from the closed list of differentiable primitives in `Autograd/`.
public final class Tensor: @unchecked Sendable {
    public let shape: [Int]
    public let count: Int
    private(set) var storage: TensorStorage
    let offset: Int

    /// When true, `backward()` accumulates this tensor's gradient into `grad`.
    public var requiresGrad: Bool
    /// Accumulated gradient (same shape), set by `backward()`; cleared by `zeroGrad()`.
    public var grad: Tensor?
    /// The primitive that produced this tensor, when it was recorded for autograd.
    var gradFn: GradNode?

    /// Wraps existing storage; `offset` is in elements.
    init(shape: [Int], storage: TensorStorage, offset: Int = 0, requiresGrad: Bool = false) {
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.storage = storage
        self.offset = offset
        self.requiresGrad = requiresGrad
        precondition(offset + count <= storage.count, "tensor view exceeds its storage")
    }

    /// Whether this tensor is the only one referring to its memory (no view, no other owner). A caller
    /// that also holds the only reference to the tensor itself may then write into it.
    func hasUniqueStorage() -> Bool { isKnownUniquelyReferenced(&storage) }

    /// A new tensor of zeros (or uninitialised memory when `zeroed` is false; callers must fill it).
    public convenience init(zeros shape: [Int], zeroed: Bool = true) {
        let n = shape.reduce(1, *)
        self.init(shape: shape, storage: TensorStorage(count: n, zeroed: zeroed))
    }

    /// A tensor holding `values` with `shape` (counts must agree).
    public convenience init(_ values: [Float], shape: [Int]) {
        precondition(values.count == shape.reduce(1, *), "value count does not match shape")
        self.init(zeros: shape, zeroed: false)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { data.update(from: base, count: values.count) }
        }
    }

    /// A 0-dimensional tensor.
    public convenience init(scalar: Float) {
        self.init([scalar], shape: [])
    }

    /// Pointer to the first element (contiguous, `count` elements).
    @inline(__always) public var data: UnsafeMutablePointer<Float> { storage.pointer + offset }

    public var rank: Int { shape.count }

    /// Whether this tensor is the result of a recorded operation (not a leaf).
    public var isLeaf: Bool { gradFn == nil }

    /// The element values, row-major.
    public var values: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The single value of a one-element tensor.
    public func item() throws -> Float {
        guard count == 1 else { throw EngineError("item", "tensor of shape \(shapeString(shape)) has \(count) elements, not 1") }
        return data[0]
    }

    /// A copy detached from the autograd graph, with its own storage.
    public func clone() -> Tensor {
        let t = Tensor(zeros: shape, zeroed: false)
        t.data.update(from: data, count: count)
        return t
    }

    /// A view sharing storage but not recorded in the graph (PyTorch's `detach`).
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage, offset: offset)
    }

    /// Overwrites the values in place from a same-shaped tensor (no autograd record).
    public func copyValues(from other: Tensor) throws {
        guard other.shape == shape else {
            throw EngineError("copy", "shapes \(shapeString(other.shape)) and \(shapeString(shape)) differ")
        }
        data.update(from: other.data, count: count)
    }

    /// Sets every element to `value` in place (no autograd record).
    public func fill(_ value: Float) {
        data.update(repeating: value, count: count)
    }

    /// Clears the accumulated gradient.
    public func zeroGrad() { grad = nil }
}

extension Tensor {
    /// Row-major strides (in elements) of a contiguous tensor with `shape`.
    @inlinable
    public static func strides(of shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    /// Validates a user-supplied shape: non-negative dimensions and an element count that fits.
    public static func checkedCount(_ shape: [Int], op: String, limit: Int = Int.max) throws -> Int {
        var n = 1
        for d in shape {
            guard d >= 0 else { throw EngineError(op, "negative dimension \(d) in shape \(shapeString(shape))") }
            let (m, overflow) = n.multipliedReportingOverflow(by: d)
            guard !overflow, m <= limit else {
                throw EngineError(
                    op,
                    overflow
                        ? "shape \(shapeString(shape)) has more elements than can be addressed"
                        : "shape \(shapeString(shape)) has too many elements (limit \(limit))")
            }
            n = m
        }
        try MemoryGuard.require(elements: n, shape: shape, op: op)
        return n
    }

    /// Normalises a possibly negative dimension index against `rank`.
    public static func normalizeDim(_ dim: Int, rank: Int, op: String) throws -> Int {
        // A 0-dimensional tensor has no dimension to name (NumPy's AxisError; several kernels indexed its shape).
        let d = dim < 0 ? dim + rank : dim
        guard d >= 0 && d < rank else {
            throw EngineError(op, "dimension \(dim) is out of range for a tensor of rank \(rank)")
        }
        return d
    }
}

import Engine
import Foundation

enum TensorBuiltins {
    static let topic = "tensors"

    static func unary(_ name: String, _ doc: String, _ f: @escaping (Tensor) -> Tensor, _ g: @escaping (Double) -> Double) -> Builtin {
        Builtin(name, topic: topic, [.required("x", "number or Tensor")], doc: doc, example: "\(name)(tensor([0, 1, 2]))") { a in
            if case .number(let x) = a.value("x") { return .number(g(x)) }
            return .tensor(f(try a.tensor("x")))
        }
    }

    static func reduction(_ name: String, _ doc: String, _ f: @escaping (Tensor, Int?) throws -> Tensor) -> Builtin {
        Builtin(
            name, topic: topic, [.required("x", "Tensor or list"), .optional("dim", "integer", .nil_, "dimension to reduce (nil: all)")],
            doc: doc, example: "\(name)(tensor([[1, 2], [3, 4]]), dim=0)"
        ) { a in
            let t = try a.tensor("x")
            guard t.count > 0 else { throw EngineError(name, "empty tensor") }
            let r = try f(t, try a.optionalInt("dim"))
            // A full reduction gives a number, unless it is part of a gradient computation.
            let tracked = t.requiresGrad || !t.isLeaf
            return r.rank == 0 && !tracked ? .number(Double(r.data[0])) : .tensor(r)
        }
    }

    /// `argmax`/`argmin` of a list (a number) or a tensor (NumPy's: flat position, or positions along `dim`).
    static func argExtreme(_ name: String, largest: Bool) -> Builtin {
        Builtin(
            name, topic: topic, [.required("x", "list of numbers or Tensor"), .optional("dim", "integer", .nil_, "nil: of all elements")],
            doc: "Position of the first \(largest ? "largest" : "smallest") element (NumPy's \(name)); along `dim` for a tensor.",
            example: "\(name)([0.2, 0.9, 0.4])"
        ) { a in
            let t = try a.tensor("x")
            let r = try t.argExtreme(dim: try a.optionalInt("dim"), largest: largest)
            return r.rank == 0 ? .number(Double(r.data[0])) : .tensor(r)
        }
    }

    static let all: [Builtin] = [
        Builtin(
            "tensor", topic: topic, [.required("values", "nested list of numbers")], doc: "A float32 tensor from a (nested) list.",
            example: "tensor([[1, 2], [3, 4]])"
        ) { a in .tensor(try a.tensor("values").clone()) },
        Builtin("zeros", topic: topic, [.required("shape", "list of integers")], doc: "A tensor of zeros.", example: "zeros([2, 3])") { a in
            .tensor(try Tensor.zeros(try a.shape("shape")))
        },
        Builtin("ones", topic: topic, [.required("shape", "list of integers")], doc: "A tensor of ones.", example: "ones([2, 3])") { a in
            .tensor(try Tensor.ones(try a.shape("shape")))
        },
        Builtin(
            "randn", topic: topic, [.required("shape", "list of integers"), .optional("seed", "integer", .number(0))],
            doc: "Standard normal values, seeded.", example: "randn([2, 12, 1000], seed=1)"
        ) { a in
            var rng = SeededRandom(seed: try a.seed())
            return .tensor(try Tensor.randn(try a.shape("shape"), rng: &rng))
        },
        Builtin(
            "arange", topic: topic,
            [.required("start", "number"), .optional("stop", "number", .nil_), .optional("step", "number", .number(1))],
            doc: "Evenly spaced values in [start, stop) (arange(n) = 0 … n−1).", example: "arange(5)"
        ) { a in
            let s = try a.number("start")
            if a.isNil("stop") { return .tensor(try Tensor.arange(0, s)) }
            return .tensor(try Tensor.arange(s, try a.number("stop"), step: try a.number("step")))
        },
        Builtin(
            "linspace", topic: topic, [.required("a", "number"), .required("b", "number"), .required("n", "integer")],
            doc: "n evenly spaced values from a to b inclusive.", example: "linspace(0, 1, 5)"
        ) { a in
            .tensor(try Tensor.linspace(try a.number("a"), try a.number("b"), count: try a.int("n", min: 0)))
        },
        Builtin(
            "reshape", topic: topic, [.required("x", "Tensor"), .required("shape", "list of integers (one may be -1)")],
            doc: "The same values with a new shape.", example: "reshape(arange(6), [2, 3])"
        ) { a in
            let t = try a.tensor("x"), shape = try a.shape("shape")
            return .tensor(try t.reshape(shape))
        },
        Builtin(
            "transpose", topic: topic,
            [.required("x", "Tensor"), .optional("dim0", "integer", .number(-2)), .optional("dim1", "integer", .number(-1))],
            doc: "Swaps two dimensions.", example: "transpose(randn([2, 3]))"
        ) { a in
            let t = try a.tensor("x")
            let d0 = try Tensor.normalizeDim(try a.int("dim0"), rank: t.rank, op: "transpose"),
                d1 = try Tensor.normalizeDim(try a.int("dim1"), rank: t.rank, op: "transpose")
            return .tensor(try t.transpose(d0, d1))
        },
        reduction("sum", "Sum of all elements, or along `dim`.") { t, d in try t.sum(dims: d.map { [$0] }) },
        reduction("mean", "Mean of all elements, or along `dim`.") { t, d in try t.mean(dims: d.map { [$0] }) },
        reduction("max", "Largest element, or the maxima along `dim`.") { t, d in
            if let d { return try t.extreme(dim: d, largest: true) }
            return try t.reshape([t.count]).extreme(dim: 0, largest: true)
        },
        reduction("min", "Smallest element, or the minima along `dim`.") { t, d in
            if let d { return try t.extreme(dim: d, largest: false) }
            return try t.reshape([t.count]).extreme(dim: 0, largest: false)
        },
        argExtreme("argmax", largest: true), argExtreme("argmin", largest: false),
        unary("exp", "e^x element-wise.", { $0.exp() }, { Foundation.exp($0) }),
        unary("log", "Natural logarithm element-wise.", { $0.log() }, { Foundation.log($0) }),
        unary("sqrt", "Square root element-wise.", { $0.sqrt() }, { $0.squareRoot() }),
        unary("abs", "Absolute value element-wise.", { $0.abs() }, { Swift.abs($0) }),
        unary("sigmoid", "1 / (1 + e^−x) element-wise.", { $0.sigmoid() }, { 1 / (1 + Foundation.exp(-$0)) }),
        unary("relu", "max(x, 0) element-wise.", { $0.relu() }, { Swift.max($0, 0) }),
        unary("swish", "x · sigmoid(x) element-wise (SiLU).", { $0.swish() }, { $0 / (1 + Foundation.exp(-$0)) }),
        unary("tanh", "Hyperbolic tangent element-wise.", { $0.tanh() }, { Foundation.tanh($0) }),
        Builtin(
            "softmax", topic: topic, [.required("x", "Tensor"), .optional("dim", "integer", .number(-1))],
            doc: "Softmax along `dim`.", example: "softmax(tensor([1, 2, 3]))"
        ) { a in
            let t = try a.tensor("x")
            return .tensor(try t.softmax(dim: try Tensor.normalizeDim(try a.int("dim"), rank: t.rank, op: "softmax")))
        },
        Builtin(
            "matmul", topic: topic, [.required("a", "Tensor"), .required("b", "Tensor")], doc: "Matrix product (also `a @ b`).",
            example: "matmul(ones([2, 3]), ones([3, 4]))"
        ) { a in .tensor(try Tensor.matmul(try a.tensor("a"), try a.tensor("b"))) },
        Builtin(
            "conv1d", topic: topic,
            [
                .required("x", "Tensor (N, C, L)"), .required("w", "Tensor (out, in/groups, k)"),
                .optional("bias", "Tensor", .nil_), .optional("stride", "integer", .number(1)),
                .choice("padding", default: ConvPadding.same, orAlso: "integer"), .optional("groups", "integer", .number(1))
            ],
            doc:
                "1-D convolution (PyTorch layout); padding \"same\" as Net1D (ceil(L / stride) outputs), \"valid\" none, an integer that "
                + "many zeros on each side.",
            example: "conv1d(randn([1, 12, 100]), randn([4, 12, 5]), padding=\"same\")"
        ) { a in
            let x = try a.tensor("x"), w = try a.tensor("w")
            let stride = try a.int("stride", min: 1), groups = try a.int("groups", min: 1)
            let bias = a.isNil("bias") ? nil : try a.tensor("bias")
            var pl = 0, pr = 0
            if case .string = a.value("padding") {
                let padding: ConvPadding = try a.choice("padding")
                if x.rank == 3, w.rank == 3 { (pl, pr) = padding.amounts(length: x.shape[2], kernel: w.shape[2], stride: stride) }
            } else {
                pl = try a.int("padding", min: 0); pr = pl
            }
            return .tensor(try Tensor.conv1d(x, weight: w, bias: bias, stride: stride, padLeft: pl, padRight: pr, groups: groups))
        },
        Builtin(
            "maxpool1d", topic: topic,
            [.required("x", "Tensor (N, C, L)"), .required("k", "integer"), .optional("stride", "integer", .nil_)],
            doc: "Max pooling with kernel k (stride defaults to k).", example: "maxpool1d(randn([1, 2, 10]), 2)"
        ) { a in
            let k = try a.int("k", min: 1)
            return .tensor(try Tensor.maxPool1d(try a.tensor("x"), kernel: k, stride: try a.optionalInt("stride", min: 1) ?? k))
        },
        Builtin(
            "requires_grad", topic: topic, [.required("x", "Tensor"), .optional("flag", "bool", .bool(true))],
            doc: "Marks a tensor as a leaf that accumulates gradients; returns it.", example: "w = requires_grad(randn([3]))"
        ) { a in
            guard case .tensor(let t) = a.value("x") else { throw a.typeError("x", "a Tensor") }
            t.requiresGrad = try a.bool("flag")
            return .tensor(t)
        },
        Builtin(
            "backward", topic: topic, [.required("y", "scalar Tensor")],
            doc: "Back-propagates from a scalar; gradients accumulate in `.grad` of leaves with requires_grad.",
            example: "w = requires_grad(randn([3])); backward(sum(w * w)); w.grad"
        ) { a in
            guard case .tensor(let t) = a.value("y") else { throw a.typeError("y", "a Tensor") }
            try t.backward()
            return .nil_
        },
        Builtin(
            "grad", topic: topic, [.required("f", "function of one Tensor returning a scalar"), .required("x", "Tensor")],
            doc: "Gradient of a scalar function at x.", example: "grad(fn(v) { sum(v * v) }, tensor([1, 2, 3]))"
        ) { a in
            let x = try a.tensor("x").clone()
            x.requiresGrad = true
            let y = try a.interpreter.callBack(try a.function("f"), [.tensor(x)], at: a.range)
            guard case .tensor(let yt) = y else {
                throw EngineError("grad", "the function must return a scalar Tensor, got \(y.aTypeName)")
            }
            try yt.backward()
            if let g = x.grad { return .tensor(g) }
            return .tensor(try Tensor.zeros(x.shape))
        },
        Builtin(
            "load_npy", topic: topic, [.required("path", "string")], doc: "Reads a NumPy .npy file as a float32 tensor.",
            example: "x = load_npy(\"x.npy\")"
        ) { a in .tensor(try NPY.read(try a.path("path"))) },
        Builtin(
            "save_npy", topic: topic, [.required("x", "Tensor"), .required("path", "string")],
            doc: "Writes a tensor as a .npy file (float32).",
            example: "save_npy(randn([3, 4]), \"x.npy\")"
        ) { a in
            try NPY.write(try a.tensor("x"), to: try a.path("path"))
            return .nil_
        }
    ]
}

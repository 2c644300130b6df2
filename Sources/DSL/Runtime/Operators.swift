import Engine
import Foundation

extension Interpreter {
    /// Binary operators: numbers, strings, lists, and tensors (element-wise with NumPy broadcasting).
    func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, at r: SourceRange) throws -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            switch op {
            case .add: return .number(x + y)
            case .subtract: return .number(x - y)
            case .multiply: return .number(x * y)
            case .divide:
                guard y != 0 else { throw Diagnostic("division by zero", at: r) }
                return .number(x / y)
            case .modulo:
                guard y != 0 else { throw Diagnostic("modulo by zero", at: r) }
                let m = x.truncatingRemainder(dividingBy: y)
                return .number(m != 0 && (m < 0) != (y < 0) ? m + y : m)
            case .power: return .number(Foundation.pow(x, y))
            case .less: return .bool(x < y)
            case .lessEqual: return .bool(x <= y)
            case .greater: return .bool(x > y)
            case .greaterEqual: return .bool(x >= y)
            default: break
            }
        case (.string(let x), .string(let y)):
            switch op {
            case .add: return .string(x + y)
            case .less: return .bool(x < y)
            case .lessEqual: return .bool(x <= y)
            case .greater: return .bool(x > y)
            case .greaterEqual: return .bool(x >= y)
            default: break
            }
        case (.list(let x), .list(let y)) where op == .add:
            return .list(x.items + y.items)
        case (.tensor, .tensor), (.tensor, .number), (.number, .tensor):
            return try tensorBinary(op, a, b, at: r)
        default: break
        }
        if op == .equal { return .bool(Convert.equal(a, b)) }
        if op == .notEqual { return .bool(!Convert.equal(a, b)) }
        throw Diagnostic("operator '\(op.rawValue)' cannot combine \(a.aTypeName) and \(b.aTypeName)", at: r)
    }

    func tensorBinary(_ op: BinaryOperator, _ a: Value, _ b: Value, at r: SourceRange) throws -> Value {
        func asTensor(_ v: Value) throws -> Tensor {
            switch v {
            case .tensor(let t): return t
            case .number(let n): return Tensor(scalar: Float(n))
            default: throw Diagnostic("operator '\(op.rawValue)' cannot combine a Tensor and \(v.aTypeName)", at: r)
            }
        }
        do {
            switch op {
            case .add: return .tensor(try asTensor(a).add(asTensor(b)))
            case .subtract: return .tensor(try asTensor(a).sub(asTensor(b)))
            case .multiply: return .tensor(try asTensor(a).mul(asTensor(b)))
            case .divide: return .tensor(try asTensor(a).div(asTensor(b)))
            case .matmul: return .tensor(try Tensor.matmul(asTensor(a), asTensor(b)))
            case .power:
                guard case .tensor(let t) = a, case .number(let p) = b else {
                    throw Diagnostic("'^' on tensors needs a tensor base and a number exponent", at: r)
                }
                return .tensor(t.pow(Float(p)))
            default:
                guard let c = Comparison(rawValue: op.rawValue) else {
                    throw Diagnostic("operator '\(op.rawValue)' is not defined for tensors", at: r)
                }
                return .tensor(try asTensor(a).compare(asTensor(b), c))
            }
        } catch let e as EngineError { throw Diagnostic(e.description, at: r) }
    }
}

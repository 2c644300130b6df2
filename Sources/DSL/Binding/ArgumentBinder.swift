import Engine

/// An evaluated call argument.
public struct CallArgument {
    public var label: String?
    public var value: Value
    public var range: SourceRange
    public init(label: String?, value: Value, range: SourceRange) {
        self.label = label
        self.value = value
        self.range = range
    }
}

/// Arguments matched to parameters: each named value with the place it came from (the call for
/// defaults), which ones the call gave, and the extra positional values of a variadic parameter.
public struct BoundArguments {
    public var values: [String: (Value, SourceRange)] = [:]
    public var given: Set<String> = []
    public var rest: [Value] = []
    public var range: SourceRange
}

/// Matches a call's arguments to a callee's parameters, as Python does: positional first, then keywords;
/// parameters after a variadic one are keyword-only. The one place that reports a missing, unknown,
/// duplicated or surplus argument, or a string that is not one of a choice parameter's names.
public enum ArgumentBinder {
    public static func bind(_ callee: String, _ params: [Param], _ args: [CallArgument], at r: SourceRange) throws -> BoundArguments {
        var bound = BoundArguments(range: r)
        let positional = Array(params.prefix { !$0.variadic })
        let variadic = params.contains(where: \.variadic)
        let named = params.filter { !$0.variadic }
        var pos = 0
        for a in args {
            if let label = a.label {
                guard let p = named.first(where: { $0.name == label }) else {
                    throw Diagnostic("\(callee): unknown argument '\(label)'\(didYouMean(label, among: named.map(\.name)))", at: a.range)
                }
                guard bound.values[p.name] == nil else { throw Diagnostic("\(callee): argument '\(label)' given twice", at: a.range) }
                bound.values[p.name] = (a.value, a.range)
                bound.given.insert(p.name)
            } else if pos < positional.count {
                bound.values[positional[pos].name] = (a.value, a.range)
                bound.given.insert(positional[pos].name)
                pos += 1
            } else if variadic {
                bound.rest.append(a.value)
            } else {
                let n = positional.count, m = args.filter { $0.label == nil }.count
                throw Diagnostic(
                    "\(callee): takes \(n) positional argument\(n == 1 ? "" : "s") but \(m) \(m == 1 ? "was" : "were") given", at: a.range)
            }
        }
        for p in named where bound.values[p.name] == nil {
            switch p.defaultKind {
            case .required: throw Diagnostic("\(callee): missing argument '\(p.name)'\(p.type.isEmpty ? "" : " (\(p.type))")", at: r)
            case .value(let d): bound.values[p.name] = (d, r)
            case .computed: break
            }
        }
        for p in named {
            guard let choices = p.choices, bound.given.contains(p.name), let (v, place) = bound.values[p.name], case .string(let s) = v,
                !choices.contains(s)
            else { continue }
            throw Diagnostic(
                "\(callee): argument '\(p.name)' must be one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), "
                    + "got \"\(s)\"\(didYouMean(s, among: choices))", at: place)
        }
        return bound
    }
}

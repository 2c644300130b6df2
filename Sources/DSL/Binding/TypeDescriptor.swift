import Engine

/// A field of a type as ECGScript sees it (`ds.train`, `t.requires_grad`): its documentation, its getter
/// and, when it may be assigned, its setter. Help, completion, errors and assignment all read these.
public struct Field {
    public let name: String
    public let doc: String
    let getter: (Value) throws -> Value
    let setter: ((Value, Value, SourceRange) throws -> Void)?
    public var assignable: Bool { setter != nil }
}

/// Everything the language knows about one type of value, in one place: its name, fields, text forms,
/// iteration and length. A new engine type is exposed by writing one of these (see `DSL/Types/`).
public struct TypeDescriptor {
    public let name: String
    public let fields: [Field]
    /// Names that are not fields (a dict's keys, a table's columns), documented by `dynamicDocs`.
    let dynamicMember: ((Value, String) throws -> Value?)?
    let dynamicNames: ((Value) -> [String])?
    let dynamicDocs: [(String, String)]
    /// Assignment to a name that is not a field (`d.key = v`).
    let dynamicSet: ((Value, String, Value, SourceRange) throws -> Void)?
    /// Short text (`repr`): lists, messages, `:vars`.
    let repr: (Value) -> String
    /// What an expression statement shows (tables, NumPy-like tensors); nil: the repr.
    let block: ((Value) -> String)?
    /// HTML for rich front ends (notebooks, Jupyter); nil: text only.
    let html: ((Value) -> String)?
    /// Calls the body with each element until it returns false; nil: not iterable.
    let elements: ((Value, SourceRange, (Value) throws -> Bool) throws -> Void)?
    /// `len(x)`; nil: no length.
    let count: ((Value) -> Int)?

    /// A descriptor whose closures receive the unwrapped payload `T` of the value (`unwrap` is the
    /// enum case's pattern).
    init<T>(
        _ name: String, _ unwrap: @escaping (Value) -> T?, fields: [FieldOf<T>] = [],
        dynamicMember: ((T, String) throws -> Value?)? = nil, dynamicNames: ((T) -> [String])? = nil,
        dynamicDocs: [(String, String)] = [], dynamicSet: ((T, String, Value) throws -> Void)? = nil,
        repr: @escaping (T) -> String, block: ((T) -> String)? = nil, html: ((T) -> String)? = nil,
        elements: ((T, SourceRange, (Value) throws -> Bool) throws -> Void)? = nil, count: ((T) -> Int)? = nil
    ) {
        func payload(_ v: Value) -> T {
            guard let t = unwrap(v) else { preconditionFailure("\(name) descriptor used for a \(v)") }
            return t
        }
        self.name = name
        self.fields = fields.map { f in
            Field(
                name: f.name, doc: f.doc, getter: { try f.get(payload($0)) },
                setter: f.set.map { set in { v, x, r in try set(payload(v), x, r) } })
        }
        self.dynamicMember = dynamicMember.map { g in { v, n in try g(payload(v), n) } }
        self.dynamicNames = dynamicNames.map { g in { v in g(payload(v)) } }
        self.dynamicDocs = dynamicDocs
        self.dynamicSet = dynamicSet.map { s in { v, n, x, _ in try s(payload(v), n, x) } }
        self.repr = { repr(payload($0)) }
        self.block = block.map { b in { b(payload($0)) } }
        self.html = html.map { h in { h(payload($0)) } }
        self.elements = elements.map { e in { v, r, body in try e(payload(v), r, body) } }
        self.count = count.map { c in { c(payload($0)) } }
    }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    /// Field names and, for a value, its dynamic names (completion after `.`).
    public func memberNames(of v: Value?) -> [String] {
        fields.map(\.name) + (v.flatMap { v in dynamicNames?(v) } ?? [])
    }

    /// `help(x)`'s field list: name, documentation, and whether it can be assigned.
    public var documentedFields: [(String, String)] {
        fields.map { ($0.name, $0.doc + ($0.assignable ? " (assignable)" : "")) } + dynamicDocs
    }
}

/// A field over the payload type `T` of a descriptor.
struct FieldOf<T> {
    let name: String
    let doc: String
    let get: (T) throws -> Value
    let set: ((T, Value, SourceRange) throws -> Void)?
    init(_ name: String, _ doc: String, get: @escaping (T) throws -> Value, set: ((T, Value, SourceRange) throws -> Void)? = nil) {
        self.name = name
        self.doc = doc
        self.get = get
        self.set = set
    }
}

extension Value {
    /// This value's type, for every question the language asks about it.
    public var descriptor: TypeDescriptor {
        switch self {
        case .number: return CoreTypes.number
        case .string: return CoreTypes.string
        case .bool: return CoreTypes.bool
        case .nil_: return CoreTypes.nil_
        case .list: return CoreTypes.list
        case .tuple: return CoreTypes.tuple
        case .dict: return CoreTypes.dict
        case .function, .builtin: return CoreTypes.function
        case .range: return CoreTypes.range
        case .tensor: return TensorType.descriptor
        case .record: return RecordType.descriptor
        case .dataset: return DatasetType.descriptor
        case .model: return ModelType.descriptor
        case .run: return RunType.descriptor
        case .evaluation: return EvaluationType.descriptor
        case .figure: return FigureType.descriptor
        case .table: return TableType.descriptor
        }
    }

    /// The type name used in messages and `help`.
    public var typeName: String { descriptor.name }

    /// The type name with its article, for messages: "a Tensor", "an Evaluation", "nil".
    public var aTypeName: String {
        let n = typeName
        guard n != "nil", let first = n.first else { return n }
        return ("AEIOUaeiou".contains(first) ? "an " : "a ") + n
    }

    /// Every type the language has, for help and documentation.
    public static var allDescriptors: [TypeDescriptor] {
        [
            CoreTypes.number, CoreTypes.string, CoreTypes.bool, CoreTypes.nil_, CoreTypes.list, CoreTypes.tuple, CoreTypes.dict,
            CoreTypes.function,
            CoreTypes.range, TensorType.descriptor, RecordType.descriptor, DatasetType.descriptor, ModelType.descriptor,
            RunType.descriptor, EvaluationType.descriptor, FigureType.descriptor, TableType.descriptor
        ]
    }
}

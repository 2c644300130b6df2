import Engine

/// Field access and assignment (`ds.train`, `t.requires_grad = true`, `d.key = 1`), read from each type's
/// `TypeDescriptor`, so what `help` documents is what works.
enum Members {
    static func get(_ v: Value, _ name: String, at r: SourceRange) throws -> Value {
        let d = v.descriptor
        do {
            if let f = d.field(name) { return try f.getter(v) }
            if let dynamic = d.dynamicMember, let x = try dynamic(v, name) { return x }
        } catch let e as EngineError { throw Diagnostic(e.description, at: r) }
        throw unknown(v, name, at: r)
    }

    static func set(_ v: Value, _ name: String, _ x: Value, at r: SourceRange) throws {
        let d = v.descriptor
        if let f = d.field(name) {
            guard let set = f.setter else {
                let settable = d.fields.filter(\.assignable).map(\.name)
                throw Diagnostic(
                    "field '\(name)' of \(v.aTypeName) is read-only"
                        + (settable.isEmpty ? "" : " (assignable: \(settable.joined(separator: ", ")))"), at: r)
            }
            try set(v, x, r)
            return
        }
        if let set = d.dynamicSet { try set(v, name, x, r); return }
        if d.fields.isEmpty { throw Diagnostic("cannot set field '\(name)': \(v.aTypeName) has no fields", at: r) }
        throw unknown(v, name, at: r)
    }

    static func unknown(_ v: Value, _ name: String, at r: SourceRange) -> Diagnostic {
        let d = v.descriptor
        let names = d.memberNames(of: v)
        let hint = didYouMean(name, among: names)
        switch v {
        case .dict: return Diagnostic("no key '\(name)' in the dict\(hint)", at: r)
        case .table: return Diagnostic("the table has no column or field '\(name)'\(hint)", at: r)
        default:
            let fields = d.fields.map(\.name)
            return Diagnostic(
                "\(v.aTypeName) has no field '\(name)'\(hint)\(fields.isEmpty ? "" : "; fields: \(fields.joined(separator: ", "))")", at: r)
        }
    }
}

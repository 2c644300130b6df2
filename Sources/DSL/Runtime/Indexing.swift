import Engine

/// An evaluated index item: `x[i]` or `x[lo:hi]`.
enum IndexValue {
    case single(Value)
    case slice(Value?, Value?)
}

enum TensorIndex {
    case index(Int)
    case range(Int, Int)
}

/// Indexing and slicing of lists, strings, dicts, tables, datasets and tensors (negative indices count
/// from the end; slices clamp like Python's).
enum Indexing {
    static func position(_ v: Double, count: Int, at r: SourceRange) throws -> Int {
        guard v == v.rounded(), abs(v) < 1e15 else { throw Diagnostic("index \(formatNumber(v)) is not an integer", at: r) }
        let i = Int(v)
        let j = i < 0 ? i + count : i
        guard j >= 0 && j < count else { throw Diagnostic("index \(i) is out of range for length \(count)", at: r) }
        return j
    }

    static func bounds(_ lo: Value?, _ hi: Value?, count: Int, at r: SourceRange) throws -> (Int, Int) {
        func bound(_ v: Value?, _ def: Int) throws -> Int {
            guard let v else { return def }
            if case .nil_ = v { return def }
            guard case .number(let x) = v, x == x.rounded() else {
                throw Diagnostic("slice bounds must be integers, got \(Display.inline(v))", at: r)
            }
            let i = Int(max(min(x, 1e15), -1e15))
            return min(max(i < 0 ? i + count : i, 0), count)
        }
        let a = try bound(lo, 0), b = try bound(hi, count)
        return (a, max(a, b))
    }

    static func index(_ c: Value, _ idx: [IndexValue], at r: SourceRange) throws -> Value {
        if case .tensor(let t) = c {
            var items: [TensorIndex] = []
            for (d, it) in idx.enumerated() {
                guard d < t.rank else { throw Diagnostic("too many indices (\(idx.count)) for a tensor of rank \(t.rank)", at: r) }
                switch it {
                case .single(let v):
                    guard case .number(let x) = v else { throw Diagnostic("tensor indices must be numbers, got \(v.aTypeName)", at: r) }
                    items.append(.index(try position(x, count: t.shape[d], at: r)))
                case .slice(let lo, let hi):
                    let (a, b) = try bounds(lo, hi, count: t.shape[d], at: r)
                    items.append(.range(a, b))
                }
            }
            return try tensorIndex(t, items, at: r)
        }
        guard idx.count == 1 else { throw Diagnostic("\(c.aTypeName) takes one index, got \(idx.count)", at: r) }
        switch (c, idx[0]) {
        case (.list(let l), .single(.number(let x))): return l.items[try position(x, count: l.items.count, at: r)]
        case (.tuple(let t), .single(.number(let x))): return t[try position(x, count: t.count, at: r)]
        case (.tuple(let t), .slice(let lo, let hi)):
            let (a, b) = try bounds(lo, hi, count: t.count, at: r)
            return .tuple(Array(t[a..<b]))
        case (.list(let l), .slice(let lo, let hi)):
            let (a, b) = try bounds(lo, hi, count: l.items.count, at: r)
            return .list(Array(l.items[a..<b]))
        case (.string(let s), .single(.number(let x))):
            let chars = Array(s)
            return .string(String(chars[try position(x, count: chars.count, at: r)]))
        case (.string(let s), .slice(let lo, let hi)):
            let chars = Array(s)
            let (a, b) = try bounds(lo, hi, count: chars.count, at: r)
            return .string(String(chars[a..<b]))
        case (.dict(let d), .single(.string(let k))):
            guard let v = d[k] else {
                let hint = didYouMean(k, among: d.keys)
                throw Diagnostic("no key '\(k)' in the dict\(hint)", at: r)
            }
            return v
        case (.range(let a0, let b0, let s), .single(.number(let x))):
            let n = max(0, (b0 - a0 + s - (s > 0 ? 1 : -1)) / s)
            return .number(Double(a0 + s * (try position(x, count: n, at: r))))
        case (.dataset(let ds), .single(.number(let x))):
            return .record(try ds.record(try position(x, count: ds.count, at: r)))
        case (.dataset(let ds), .slice(let lo, let hi)):
            let (a, b) = try bounds(lo, hi, count: ds.count, at: r)
            return .dataset(try ds.selecting(positions: Array(a..<b), split: ds.split))
        case (.table(let t), .single(.number(let x))):
            let row = t.rows[try position(x, count: t.rows.count, at: r)]
            return .dict(DictBox(zip(t.columns, row.map(Convert.cell)).map { ($0, $1) }))
        case (.table(let t), .single(.string(let k))):
            do { return .list(try t.column(k).map(Convert.cell)) } catch let e as EngineError { throw Diagnostic(e.description, at: r) }
        case (.record(let rec), .single(.string(let lead))):
            guard let i = rec.leads.firstIndex(where: { $0.lowercased() == lead.lowercased() }) else {
                throw Diagnostic("record \(rec.name) has no lead '\(lead)' (leads: \(rec.leads.joined(separator: ", ")))", at: r)
            }
            return try tensorIndex(rec.signal, [.index(i)], at: r)
        default:
            let what: String
            switch idx[0] {
            case .single(let v): what = "\(v.aTypeName) index";
            case .slice: what = "a slice"
            }
            throw Diagnostic("cannot index \(c.aTypeName) with \(what)", at: r)
        }
    }

    /// Selects along leading dimensions; single indices drop their dimension, a 0-d result is a number.
    static func tensorIndex(_ t: Tensor, _ items: [TensorIndex], at r: SourceRange) throws -> Value {
        do {
            var out = t
            var keep: [Int] = []
            for (d, it) in items.enumerated() {
                switch it {
                case .index(let i): out = try out.slice(dim: d, start: i, end: i + 1)
                case .range(let a, let b): out = try out.slice(dim: d, start: a, end: b); keep.append(d)
                }
            }
            var shape: [Int] = []
            for d in 0..<t.rank where d >= items.count || keep.contains(d) { shape.append(out.shape[d]) }
            if shape.isEmpty { return .number(Double(out.data[0])) }
            return .tensor(try out.reshape(shape))
        } catch let e as EngineError { throw Diagnostic(e.description, at: r) }
    }
}

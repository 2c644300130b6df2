/// Frees the reference cycles that ECGScript values can form and reference counting never frees, as CPython's
/// cycle collector does for Python.
///
/// Two kinds of cycle exist. A function value holds the scope it was defined in, and that scope (or one of its
/// ancestors) can hold the function, directly (`fn make() { fn inner() {…}; inner }`) or through a list or dict;
/// and a list or dict can be stored into itself or into a container it holds (`a[0] = a`). So every cycle
/// passes through a scope captured by a function or through a container that an element assignment wrote a
/// container or a function into: exactly the objects the interpreter registers here (weakly).
///
/// `collect` marks everything reachable from the roots (the globals and what the host still holds) and empties
/// the registered objects that were not reached, with their unreached ancestor scopes: the cycle is broken and
/// reference counting frees the rest. It is only called where no Swift code holds values the roots do not reach:
/// between top-level statements of the outermost `execute`, when the registered count has doubled since the last
/// collection (`isDue`), so that its cost stays proportional to the work done in between.
final class CycleCollector {
    private var tracked: [WeakMember] = []
    private var threshold = CycleCollector.minimumThreshold
    static let minimumThreshold = 512

    /// The number of registered objects still alive (for tests).
    var liveCount: Int { tracked.filter { $0.object != nil }.count }

    /// Registers a container (a scope captured by a function, or a list or dict written into) once.
    func track(_ member: some CycleMember) {
        guard !member.isTracked else { return }
        member.isTracked = true
        tracked.append(WeakMember(object: member))
    }

    /// True when enough objects were registered since the last collection to make one worth its cost.
    var isDue: Bool { tracked.count >= threshold }

    /// Marks what `roots` and `scopes` reach and empties the registered objects they do not reach.
    func collect(roots: [Value], scopes: [Scope]) {
        var marked = Set<ObjectIdentifier>()
        var pending = roots
        var scopeStack = scopes
        while !pending.isEmpty || !scopeStack.isEmpty {
            if let s = scopeStack.popLast() {
                guard marked.insert(ObjectIdentifier(s)).inserted else { continue }
                pending.append(contentsOf: s.vars.values)
                if let p = s.parent { scopeStack.append(p) }
                continue
            }
            switch pending.removeLast() {
            case .list(let l): if marked.insert(ObjectIdentifier(l)).inserted { pending.append(contentsOf: l.items) }
            case .dict(let d): if marked.insert(ObjectIdentifier(d)).inserted { pending.append(contentsOf: d.storage.values) }
            case .tuple(let items): pending.append(contentsOf: items)
            case .function(let c): scopeStack.append(c.scope)
            default: break
            }
        }
        // Strong references to the unreached objects first: emptying one may free others while the list is read.
        let unreached = tracked.compactMap(\.object).filter { !marked.contains(ObjectIdentifier($0)) }
        for member in unreached {
            member.breakCycles()
            var ancestor = (member as? Scope)?.parent
            while let a = ancestor, !marked.contains(ObjectIdentifier(a)) {
                a.breakCycles()
                ancestor = a.parent
            }
        }
        tracked.removeAll { $0.object == nil || !marked.contains(ObjectIdentifier($0.object!)) }
        threshold = max(Self.minimumThreshold, 2 * tracked.count)
    }

    /// Empties every registered object still alive (the interpreter is going away).
    func breakAll() {
        let alive = tracked.compactMap(\.object)
        tracked.removeAll()
        for member in alive { member.breakCycles() }
    }
}

/// A container that can take part in a reference cycle of ECGScript values.
protocol CycleMember: AnyObject {
    var isTracked: Bool { get set }
    /// Drops every value it holds.
    func breakCycles()
}

private struct WeakMember {
    weak var object: (any CycleMember)?
}

extension Scope: CycleMember {
    func breakCycles() { vars.removeAll() }
}

extension ListBox: CycleMember {
    func breakCycles() { items.removeAll() }
}

extension DictBox: CycleMember {
    func breakCycles() { removeAll() }
}

extension Value {
    /// True for values that can hold a container or a function (so storing them can close a cycle).
    var canCloseCycle: Bool {
        switch self {
        case .list, .dict, .tuple, .function: return true
        default: return false
        }
    }
}

import Engine
import Foundation

enum Flow {
    case normal(Value?)
    case breakLoop(SourceRange)
    case continueLoop(SourceRange)
    case returned(Value)
}

/// A tree-walking interpreter for ECGScript.
public final class Interpreter {
    public private(set) var globals: Scope
    let builtins: Scope
    public let sink: OutputSink
    /// Polled between loop iterations and training batches; true stops the running statement.
    public var shouldStop: () -> Bool = { false }
    /// True (scripts, the REPL): every top-level expression statement is shown. False (notebooks, the Jupyter
    /// kernel): only the input's last statement, as Jupyter shows a cell's last expression (figures are always shown).
    public var showsEveryExpression = true
    /// Results recorded with `glue(name, value)`, in the order first recorded (numbers, bools, strings).
    public internal(set) var glued: [(name: String, value: Value)] = []
    /// Name used in diagnostics and figure metadata (script path or `In[n]`).
    public var file = "<input>"
    var depth = 0
    public static let maxCallDepth = 180
    let cycles = CycleCollector()
    /// Nested `execute` calls (a host may run code from inside a sink); cycles are collected only at depth 1.
    private var executing = 0
    /// The stack of the thread running the outermost `execute` or `evaluate`: calls stop before it overflows.
    private var stack: StackGuard?

    public init(sink: OutputSink) {
        self.sink = sink
        builtins = Scope()
        globals = Scope(parent: builtins)
        for b in Registry.all { builtins.vars[b.name] = .builtin(b) }
    }

    /// Binds a global variable (the REPL's `_`, a script's `ARGS`).
    public func setGlobal(_ name: String, _ v: Value) { globals.vars[name] = v }

    /// Forgets every user binding (built-ins stay).
    /// A function value holds the scope it was defined in, and that scope holds the function: a cycle that
    /// reference counting never frees (LeakSanitizer found them in the ecgscript fuzz harness). Emptying the
    /// globals breaks every cycle that goes through them; the collector breaks the others.
    public func reset() {
        globals.vars.removeAll()
        globals = Scope(parent: builtins)
        cycles.collect(roots: glued.map(\.value), scopes: [globals])
    }

    deinit {
        globals.vars.removeAll()
        cycles.breakAll()
    }

    /// A function value over `scope`, which it keeps alive (registered with the cycle collector).
    func closure(_ d: FunctionDecl, _ scope: Scope) -> Closure {
        cycles.track(scope)
        return Closure(decl: d, scope: scope)
    }

    /// User bindings, sorted by name.
    public var variables: [(String, Value)] { globals.vars.keys.sorted().map { ($0, globals.vars[$0]!) } }

    /// The names of every built-in, in registry order.
    public static var builtinNames: [String] { Registry.all.map(\.name) }

    /// Names visible at top level (built-ins and variables), for completion.
    public var visibleNames: [String] { globals.allNames }

    /// Parses and runs `source`; expression statements at top level are shown through the sink.
    /// A failing statement stops the input; bindings made before it stay.
    @discardableResult
    public func execute(_ source: String, file: String? = nil, line: Int = 1) -> ExecOutcome {
        if let file { self.file = file }
        let program: [Stmt]
        do { program = try Parser.parse(source, line: line) } catch let d as Diagnostic {
            return ExecOutcome(diagnostic: d, lastValue: nil)
        } catch {
            return ExecOutcome(diagnostic: Diagnostic("\(error)", at: SourceRange(line: line, column: 1)), lastValue: nil)
        }
        var last: Value?
        // Long engine operations inside built-ins poll this interpreter's stop request (bound once
        // here, read when polled, so that calling a built-in costs nothing extra).
        let stop = UncheckedStop { self.shouldStop() }
        return Cancellation.withStopCheck({ stop.check() }) {
            do {
                try run(program, last: &last)
            } catch let d as Diagnostic {
                return ExecOutcome(diagnostic: d, lastValue: last)
            } catch is Interrupted {
                return ExecOutcome(
                    diagnostic: Diagnostic("interrupted", at: SourceRange(line: line, column: 1), kind: .interrupted), lastValue: last)
            } catch {
                return ExecOutcome(diagnostic: Diagnostic("\(error)", at: SourceRange(line: line, column: 1)), lastValue: last)
            }
            return ExecOutcome(diagnostic: nil, lastValue: last)
        }
    }

    /// Runs top-level statements, showing expression values through the sink; `last` is the last shown.
    private func run(_ program: [Stmt], last: inout Value?) throws {
        if executing == 0 { stack = StackGuard.current() }
        executing += 1
        defer { executing -= 1 }
        for (i, stmt) in program.enumerated() {
            depth = 0
            // Between top-level statements only the globals, the last value and the glued results hold values.
            if executing == 1, cycles.isDue { cycles.collect(roots: (last.map { [$0] } ?? []) + glued.map(\.value), scopes: [globals]) }
            let shows = showsEveryExpression || i == program.count - 1
            switch try exec(stmt, globals) {
            case .normal(let v):
                if case .expr(_, let hidden) = stmt, let v {
                    last = v
                    // Figures are shown wherever they are in a cell, as matplotlib's inline backend shows every figure.
                    let figure: Bool
                    if case .figure = v { figure = true } else { figure = false }
                    if !hidden, !isNil(v), shows || figure { sink.show(v) }
                } else if case .ifStmt = stmt, let v, !isNil(v) { // an if/else used for its value
                    last = v
                    if shows { sink.show(v) }
                }
            case .breakLoop(let r): throw Diagnostic("'break' outside a loop", at: r)
            case .continueLoop(let r): throw Diagnostic("'continue' outside a loop", at: r)
            case .returned: break
            }
        }
    }

    /// The value of one expression, without showing it (Jupyter's `user_expressions`). Runs it: it may
    /// call functions.
    public func evaluate(expression source: String) -> Result<Value, Diagnostic> {
        do {
            let stmts = try Parser.parse(source)
            guard stmts.count == 1, case .expr(let e, _) = stmts[0] else {
                return .failure(Diagnostic("expected one expression", at: SourceRange(line: 1, column: 1)))
            }
            let stop = UncheckedStop { self.shouldStop() }
            if executing == 0 { stack = StackGuard.current() }
            return try Cancellation.withStopCheck({ stop.check() }) { .success(try eval(e, globals)) }
        } catch let d as Diagnostic {
            return .failure(d)
        } catch is Interrupted {
            return .failure(Diagnostic("interrupted", at: SourceRange(line: 1, column: 1), kind: .interrupted))
        } catch {
            return .failure(Diagnostic("\(error)", at: SourceRange(line: 1, column: 1)))
        }
    }

    /// Names given a value by the top-level plain assignments (`NAME = …`) of a source text, in order
    /// (a notebook's Parameters cell). Throws the parse error of a malformed text.
    public static func assignedNames(_ source: String) throws -> [String] {
        try Parser.parse(source).compactMap { stmt in
            if case .assign(.name(let n, _), nil, _, _) = stmt { return n }
            return nil
        }
    }

    /// Whether `source` is one literal value — a number, string without interpolation, bool, nil, or a
    /// list or dict of literals — and nothing that could run (front ends use it to accept values typed
    /// on a command line, e.g. `-p LRS=[0.001, 0.01]`).
    public static func isLiteral(_ source: String) -> Bool {
        guard let stmts = try? Parser.parse(source), stmts.count == 1, case .expr(let e, _) = stmts[0] else { return false }
        func literal(_ e: Expr) -> Bool {
            switch e {
            case .number, .bool, .nil_: return true
            case .string(let parts, _):
                return parts.allSatisfy {
                    if case .text = $0 { return true }; return false
                }
            case .list(let items, _), .tuple(let items, _): return items.allSatisfy(literal)
            case .dict(let pairs, _): return pairs.allSatisfy { literal($0.1) }
            case .unary(.negate, .number, _): return true
            default: return false
            }
        }
        return literal(e)
    }

    func isNil(_ v: Value) -> Bool { if case .nil_ = v { return true }; return false }

    // MARK: statements

    func execBlock(_ stmts: [Stmt], _ scope: Scope) throws -> Flow {
        var last: Value?
        for s in stmts {
            let f = try exec(s, scope)
            switch f {
            case .normal(let v): last = v
            default: return f
            }
        }
        return .normal(last)
    }

    func exec(_ stmt: Stmt, _ scope: Scope) throws -> Flow {
        switch stmt {
        case .expr(let e, _):
            return .normal(try eval(e, scope))
        case .assign(let target, let op, let valueExpr, let r):
            var v = try eval(valueExpr, scope)
            if let op { v = try binary(op, try eval(target, scope), v, at: r) }
            try assign(target, v, scope)
            return .normal(nil)
        case .fnDecl(let d):
            scope.assign(d.name!, .function(closure(d, scope)))
            return .normal(nil)
        case .ifStmt(let c, let a, let b, _):
            if try eval(c, scope).truthy { return try execBlock(a, Scope(parent: scope)) }
            if let b { return try execBlock(b, Scope(parent: scope)) }
            return .normal(nil)
        case .whileStmt(let c, let body, let r):
            while try eval(c, scope).truthy {
                try checkStop(r)
                switch try execBlock(body, Scope(parent: scope)) {
                case .breakLoop: return .normal(nil)
                case .returned(let v): return .returned(v)
                default: break
                }
            }
            return .normal(nil)
        case .forStmt(let name, let seqExpr, let body, let r):
            let seq = try eval(seqExpr, scope)
            let inner = Scope(parent: scope)
            var result: Flow = .normal(nil)
            try iterate(seq, at: seqExpr.range) { item in
                try checkStop(r)
                inner.vars = [name: item]
                switch try execBlock(body, inner) {
                case .breakLoop: return false
                case .returned(let v): result = .returned(v); return false
                default: return true
                }
            }
            return result
        case .breakStmt(let r): return .breakLoop(r)
        case .continueStmt(let r): return .continueLoop(r)
        case .returnStmt(let e, _): return .returned(try e.map { try eval($0, scope) } ?? .nil_)
        }
    }

    func checkStop(_ r: SourceRange) throws {
        if Cancellation.shouldStop() { throw Diagnostic("interrupted", at: r, kind: .interrupted) }
    }

    /// Calls `body` with each element of an iterable value (its type's `elements`) until it returns false.
    func iterate(_ seq: Value, at r: SourceRange, _ body: (Value) throws -> Bool) throws {
        guard let elements = seq.descriptor.elements else { throw Diagnostic("cannot iterate over \(seq.aTypeName)", at: r) }
        do { try elements(seq, r, body) } catch let e as EngineError { throw Diagnostic(e.description, at: r) }
    }

    func assign(_ target: Expr, _ v: Value, _ scope: Scope) throws {
        switch target {
        case .name(let n, _):
            scope.assign(n, v) // shadowing a built-in is allowed; `:reset` brings it back
        case .member(let obj, let field, let r):
            let object = try eval(obj, scope)
            if v.canCloseCycle, case .dict(let d) = object { cycles.track(d) }
            try Members.set(object, field, v, at: r)
        case .index(let obj, let items, let r):
            let container = try eval(obj, scope)
            guard items.count == 1, case .single(let ie) = items[0] else { throw Diagnostic("assignment takes a single index", at: r) }
            let key = try eval(ie, scope)
            if v.canCloseCycle {
                if case .list(let l) = container { cycles.track(l) } else if case .dict(let d) = container { cycles.track(d) }
            }
            switch (container, key) {
            case (.list(let l), .number(let i)):
                let idx = try Indexing.position(i, count: l.items.count, at: r)
                l.items[idx] = v
            case (.dict(let d), .string(let k)): d[k] = v
            default: throw Diagnostic("cannot assign to an element of \(container.aTypeName) with \(key.aTypeName) index", at: r)
            }
        default:
            throw Diagnostic("cannot assign to this expression", at: target.range)
        }
    }

    // MARK: expressions

    func eval(_ e: Expr, _ scope: Scope) throws -> Value {
        switch e {
        case .number(let v, _): return .number(v)
        case .bool(let b, _): return .bool(b)
        case .nil_: return .nil_
        case .string(let parts, _):
            var s = ""
            for p in parts {
                switch p {
                case .text(let t): s += t
                case .expr(let x): s += Display.inline(try eval(x, scope))
                }
            }
            return .string(s)
        case .name(let n, let r):
            if let v = scope.lookup(n) { return v }
            let hint = didYouMean(n, among: scope.allNames)
            throw Diagnostic("unknown name '\(n)'\(hint)", at: r)
        case .list(let items, _): return .list(try items.map { try eval($0, scope) })
        case .tuple(let items, _): return .tuple(try items.map { try eval($0, scope) })
        case .comprehension(let element, let name, let seqExpr, let condition, let r):
            let seq = try eval(seqExpr, scope)
            let inner = Scope(parent: scope)
            var out: [Value] = []
            try iterate(seq, at: seqExpr.range) { item in
                try checkStop(r)
                inner.vars = [name: item]
                if let condition, try !eval(condition, inner).truthy { return true }
                out.append(try eval(element, inner))
                return true
            }
            return .list(out)
        case .dict(let entries, _): return .dict(DictBox(try entries.map { ($0.0, try eval($0.1, scope)) }))
        case .unary(let op, let x, let r):
            let v = try eval(x, scope)
            if op == .not { return .bool(!v.truthy) }
            switch v {
            case .number(let n): return .number(-n)
            case .tensor(let t): return .tensor(t.neg())
            default: throw Diagnostic("cannot negate \(v.aTypeName)", at: r)
            }
        case .binary(let op, let a, let b, let r):
            return try binary(op, try eval(a, scope), try eval(b, scope), at: r)
        case .and(let a, let b, _):
            let l = try eval(a, scope)
            return l.truthy ? try eval(b, scope) : l
        case .or(let a, let b, _):
            let l = try eval(a, scope)
            return l.truthy ? l : try eval(b, scope)
        case .call(let fe, let argExprs, let r):
            let f = try eval(fe, scope)
            var args: [CallArgument] = []
            args.reserveCapacity(argExprs.count)
            for a in argExprs { args.append(CallArgument(label: a.label, value: try eval(a.value, scope), range: a.range)) }
            return try call(f, args, at: r, calleeRange: fe.range)
        case .index(let obj, let items, let r):
            let container = try eval(obj, scope)
            var idx: [IndexValue] = []
            for it in items {
                switch it {
                case .single(let x): idx.append(.single(try eval(x, scope)))
                case .slice(let lo, let hi): idx.append(.slice(try lo.map { try eval($0, scope) }, try hi.map { try eval($0, scope) }))
                }
            }
            return try Indexing.index(container, idx, at: r)
        case .member(let obj, let field, let r):
            return try Members.get(try eval(obj, scope), field, at: r)
        case .function(let d):
            let c = closure(d, scope)
            if let n = d.name { scope.assign(n, .function(c)) }
            return .function(c)
        case .ifExpr(let c, let a, let b, _):
            if try eval(c, scope).truthy {
                if case .normal(let v) = try execBlock(a, Scope(parent: scope)) { return v ?? .nil_ }
            } else if let b {
                if case .normal(let v) = try execBlock(b, Scope(parent: scope)) { return v ?? .nil_ }
            }
            return .nil_
        }
    }

    /// Calls a built-in, a user function or a model with evaluated arguments: one binder, one set of messages.
    public func call(_ f: Value, _ args: [CallArgument], at r: SourceRange, calleeRange: SourceRange? = nil) throws -> Value {
        guard let callee = f.callable else { throw Diagnostic("\(f.aTypeName) is not callable", at: calleeRange ?? r) }
        let bound = try ArgumentBinder.bind(callee.name, callee.parameters, args, at: r)
        do {
            return try callee.call(bound, interpreter: self)
        } catch is Interrupted {
            throw Diagnostic("interrupted", at: r, kind: .interrupted)
        } catch let e as EngineError {
            // Named after the function the user called, whichever engine step failed inside it.
            throw Diagnostic("\(callee.name): \(e.message)", at: r)
        }
    }

    /// Runs a user function's body in a new scope over the one it closes over; defaults are evaluated at
    /// each call, in the defining scope.
    func invoke(_ c: Closure, _ args: BoundArguments) throws -> Value {
        let r = args.range
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxCallDepth else {
            throw Diagnostic("recursion too deep (more than \(Self.maxCallDepth) nested calls)", at: r)
        }
        if stack?.isNearlyFull() == true {
            throw Diagnostic("recursion too deep (\(depth) nested calls filled the stack of the thread running them)", at: r)
        }
        let scope = Scope(parent: c.scope)
        for (name, (v, _)) in args.values { scope.vars[name] = v }
        for p in c.decl.params where scope.vars[p.name] == nil {
            if let d = p.defaultValue { scope.vars[p.name] = try eval(d, c.scope) }
        }
        do {
            switch try execBlock(c.decl.body, scope) {
            case .normal(let v): return v ?? .nil_
            case .returned(let v): return v
            case .breakLoop(let br): throw Diagnostic("'break' outside a loop", at: br)
            case .continueLoop(let cr): throw Diagnostic("'continue' outside a loop", at: cr)
            }
        } catch var d as Diagnostic {
            if d.trace.count < 20 { d.trace.append((c.name, r)) }
            throw d
        }
    }

    /// Calls a function value from a built-in (`repeat`, `time`) with positional arguments.
    func callBack(_ f: Value, _ args: [Value], at r: SourceRange) throws -> Value {
        try call(f, args.map { CallArgument(label: nil, value: $0, range: r) }, at: r)
    }
}

/// The interpreter's stop closure, handed to engine code that may poll it from worker threads.
private struct UncheckedStop: @unchecked Sendable {
    let check: () -> Bool
    init(_ check: @escaping () -> Bool) { self.check = check }
}

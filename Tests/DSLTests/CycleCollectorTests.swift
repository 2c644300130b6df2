import Engine
import Testing

@testable import DSL

/// Reference cycles of ECGScript values (a returned local function and its scope, a list stored in itself) are
/// freed, and nothing still reachable is touched. LeakSanitizer found the first in the ecgscript fuzz harness.
@Suite struct CycleCollectorTests {
    /// Runs `source` and returns the scope that global `name`'s function closes over (weakly held by the caller).
    private func closureScope(_ interp: Interpreter, _ name: String) -> Scope? {
        if case .function(let c)? = interp.globals.vars[name] { return c.scope }
        return nil
    }

    private func run(_ interp: Interpreter, _ source: String) {
        let outcome = interp.execute(source)
        #expect(outcome.diagnostic == nil, "\(source): \(outcome.diagnostic.map { "\($0)" } ?? "")")
    }

    private func number(_ interp: Interpreter, _ source: String) -> Double? {
        if case .number(let v)? = interp.execute(source).lastValue { return v }
        return nil
    }

    private func collect(_ interp: Interpreter) {
        interp.cycles.collect(roots: [], scopes: [interp.globals])
    }

    @Test func aReturnedLocalFunctionsScopeIsFreedOnceUnreachable() {
        let interp = Interpreter(sink: LinesSink())
        run(interp, "fn make(k) {\n  fn inner(x) { x + k }\n  inner\n}\ng = make(10)")
        weak var scope = closureScope(interp, "g")
        #expect(scope != nil)
        collect(interp) // still reachable through g: kept, and g still works
        #expect(scope != nil)
        #expect(number(interp, "g(1)") == 11)
        run(interp, "g = nil")
        #expect(scope != nil) // the scope holds inner, inner holds the scope: reference counting alone keeps both
        collect(interp)
        #expect(scope == nil)
    }

    @Test func cyclesThroughBlockScopesListsAndDictsAreFreed() {
        let interp = Interpreter(sink: LinesSink())
        // The function is made in an if-block's scope and stored in the call's scope (its parent).
        run(interp, "fn make() {\n  g = nil\n  if true { g = fn() { 1 } }\n  g\n}\nh = make()")
        weak var blockScope = closureScope(interp, "h")
        // A list and a dict that hold themselves, and a list holding a function whose scope holds the list.
        run(interp, "a = [1, 2]\na[0] = a\nd = {x: 1}\nd.me = d\nfn mk() {\n  l = [0]\n  l[0] = fn() { l }\n  l\n}\nm = mk()")
        weak var list: ListBox?, dict: DictBox?, inner: ListBox?
        if case .list(let l)? = interp.globals.vars["a"] { list = l }
        if case .dict(let x)? = interp.globals.vars["d"] { dict = x }
        if case .list(let l)? = interp.globals.vars["m"] { inner = l }
        #expect(blockScope != nil && list != nil && dict != nil && inner != nil)
        collect(interp)
        #expect(blockScope != nil && list != nil && dict != nil && inner != nil)
        #expect(number(interp, "len(a) + len(d) + h() + len(m[0]())") == 6)
        run(interp, "h = nil\na = nil\nd = nil\nm = nil")
        #expect(blockScope != nil && list != nil && dict != nil && inner != nil)
        collect(interp)
        #expect(blockScope == nil && list == nil && dict == nil && inner == nil)
    }

    @Test func topLevelStatementsCollectAsRegisteredObjectsAccumulate() {
        let interp = Interpreter(sink: LinesSink())
        // One statement makes 3,000 garbage cycles; the collection at the next statement frees them.
        run(interp, "fn make() {\n  fn inner() { 1 }\n  inner\n}\nkeep = make()\nfor i in range(3000) { make() }\nx = 1")
        #expect(interp.cycles.liveCount < CycleCollector.minimumThreshold)
        #expect(number(interp, "keep()") == 1)
    }

    @Test func anInterpreterThatGoesAwayFreesItsCycles() {
        weak var scope: Scope?
        do {
            let interp = Interpreter(sink: LinesSink())
            run(interp, "fn make() {\n  fn inner() { 1 }\n  inner\n}\nl = [0]\nl[0] = [l]")
            run(interp, "g = make()")
            scope = closureScope(interp, "g")
            #expect(scope != nil)
        }
        #expect(scope == nil)
    }
}

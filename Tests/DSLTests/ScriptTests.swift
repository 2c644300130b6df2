import DSL
import Engine
import Foundation
import Testing

/// Collects what a script shows and prints, line by line.
final class LinesSink: OutputSink {
    var lines: [String] = []
    func write(_ text: String) { lines += text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    func show(_ value: Value) { lines += Display.block(value).split(separator: "\n").map(String.init) }
    func progress(_ event: TrainEvent) {}
}

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// Runs `Tests/DSLTests/Scripts/*.ecgs`: every `# expect: text` line must equal the next output line;
/// a `# error: line:col: text` line means the statements since the previous marker must stop with an
/// error at that place whose message starts with `text` (the script then goes on, bindings intact).
@Suite struct ScriptTests {
    static let scripts = ["language.ecgs", "data-and-models.ecgs", "builtins.ecgs", "figures-and-training.ecgs"]

    @Test(arguments: scripts)
    func script(name: String) throws {
        let path = root + "/Tests/DSLTests/Scripts/" + name
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let lines = source.components(separatedBy: "\n")
        let expected = lines.compactMap { l -> String? in
            let t = l.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("# expect: ") ? String(t.dropFirst(10)).trimmingCharacters(in: .whitespaces) : nil
        }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-script-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: tmp)
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        setenv("ECGS_CACHE", FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-dsl-cache").path, 1)
        let sink = LinesSink()
        let interp = Interpreter(sink: sink)
        interp.setGlobal("ROOT", .string(root))
        interp.setGlobal("TMP", .string(tmp))
        var start = 0
        var errors = 0
        for (i, l) in lines.enumerated() {
            let t = l.trimmingCharacters(in: .whitespaces)
            let isError = t.hasPrefix("# error: ")
            guard isError || i == lines.count - 1 else { continue }
            let chunk = lines[start...i].joined(separator: "\n")
            let out = interp.execute(chunk, file: name, line: start + 1)
            if isError {
                errors += 1
                let want = String(t.dropFirst(9))
                if let d = out.diagnostic {
                    let got = "\(d.range.line):\(d.range.column): \(d.message)"
                    #expect(got.hasPrefix(want), "\(name):\(i + 1): expected error '\(want)', got '\(got)'")
                } else {
                    Issue.record("\(name):\(i + 1): expected error '\(want)', the statements ran without one")
                }
            } else if let d = out.diagnostic {
                Issue.record("\(d.render(file: name, source: source))")
            }
            start = i + 1
        }
        let got = sink.lines.map { $0.trimmingCharacters(in: .whitespaces) }
        let difference = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }.map {
            "first difference at output line \($0.offset + 1): got '\($0.element.0)', expected '\($0.element.1)'"
        }
        #expect(got == expected, "\(difference ?? "lengths \(got.count) vs \(expected.count)")")
    }

    /// Every built-in is called by name in at least one script, so the scripts cover the whole registry.
    @Test func scriptsCallEveryBuiltin() throws {
        let text = try Self.scripts.map { try String(contentsOfFile: root + "/Tests/DSLTests/Scripts/" + $0, encoding: .utf8) }.joined()
        let missing = Interpreter.builtinNames.filter { !text.contains($0 + "(") && !text.contains("|> " + $0) }
        #expect(missing.isEmpty, "built-ins no script calls: \(missing)")
    }
}

/// Error messages with their positions, as a table.
@Suite struct ErrorTests {
    static let cases: [(String, String)] = [
        ("x = 1\ny = x +\n", "incomplete"),
        ("foo(1)", "1:1: unknown name 'foo'"),
        ("lenght([1])", "1:1: unknown name 'lenght' (did you mean 'len'?)"),
        ("m = 1\nfinetune(m, m, lerning_rate=1)", "2:16: finetune: unknown argument 'lerning_rate' (did you mean 'lr'?)"),
        ("zeros(\"a\")", "1:7: zeros: shape must be a number or a list of integers, got a string"),
        ("tensor([1, 2]) @ tensor([1, 2, 3])", "1:16: matmul: "),
        ("[1, 2][5]", "1:7: index 5 is out of range for length 2"),
        ("1 / 0", "1:3: division by zero"),
        ("\"a\" - 1", "1:5: operator '-' cannot combine a string and a number"),
        ("fn f(n) { f(n + 1) }\nf(0)", "recursion too deep"),
        ("wfdb(\"/nonexistent/rec\")", "1:1: wfdb: file '/nonexistent/rec.hea' does not exist"),
        ("f = fn(a) { a }\nf(1, 2)", "2:6: fn: takes 1 positional argument but 2 were given"),
        ("x = (1, 2", "incomplete"),
        ("x = [1, 2)", "1:10: unexpected ')'"),
        ("\"abc", "incomplete"),
        ("break", "1:1: 'break' outside a loop"),
        ("ptbxl(\"x\", task=\"superdiag\")", "ptbxl: argument 'task' must be one of"),
        ("d = {a: 1}\nd.b", "2:3: no key 'b' in the dict"),
        ("1 +* 2", "1:4: expected an expression, found '*'"),
        ("x = 1 !", "unexpected '!' (use 'not' for negation"),
        ("(((((" + String(repeating: "(", count: 300) + "1", "incomplete"),
        ("a = " + String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300), "expression nested too deeply"),
        ("net1d(preset=\"huge\")", "net1d: argument 'preset' must be one of \"ecgfounder\", \"small\", \"tiny\", got \"huge\""),
        ("synth(n=0)", "synth: argument 'n' must be at least 1, got 0")
    ]

    /// The same mistake gives the same message whether the callee is a built-in, a user function or a model
    /// (one `ArgumentBinder`).
    static let binding: [(String, String)] = [
        ("len(1, 2)", "1:8: len: takes 1 positional argument but 2 were given"),
        ("fn f(x) { x }\nf(1, 2)", "2:6: f: takes 1 positional argument but 2 were given"),
        ("m = net1d(preset=\"tiny\", classes=2)\nm(1, 2)", "2:6: model: takes 1 positional argument but 2 were given"),
        ("len()", "1:1: len: missing argument 'x' (list, string, dict, range, Tensor, Dataset or Table)"),
        ("fn f(x) { x }\nf()", "2:1: f: missing argument 'x'"),
        ("m = net1d(preset=\"tiny\", classes=2)\nm()", "2:1: model: missing argument 'x' (Tensor (N, 12, samples)"),
        ("len(y=1)", "1:5: len: unknown argument 'y'"),
        ("fn f(value) { value }\nf(valeu=1)", "2:3: f: unknown argument 'valeu' (did you mean 'value'?)"),
        ("m = net1d(preset=\"tiny\", classes=2)\nm(y=1)", "2:3: model: unknown argument 'y'"),
        ("len([1], x=[2])", "1:10: len: argument 'x' given twice"),
        ("fn f(x) { x }\nf(1, x=2)", "2:6: f: argument 'x' given twice"),
        ("m = net1d(preset=\"tiny\", classes=2)\nm(1)", "2:3: model: argument 'x' must be a Tensor (N, 12, samples), got a number"),
        ("range(\"a\")", "1:7: range: argument 'a' must be a number, got a string"),
        ("ptbxl(\"x\", task=\"rhytm\")", "1:12: ptbxl: argument 'task' must be one of \"all\""),
        ("ptbxl(\"x\", task=\"rhytm\")", "got \"rhytm\" (did you mean 'rhythm'?)"),
        ("finetune(1, 2, optimizer=\"adan\")", "finetune: argument 'optimizer' must be one of \"adam\", \"adamw\", \"sgd\", got \"adan\""),
        (
            "finetune(net1d(preset=\"tiny\"), synth(n=20, seconds=2), epochs=-1)",
            "1:56: finetune: argument 'epochs' must be at least 0, got -1"
        ),
        ("conv1d(ones([1, 1, 4]), ones([1, 1, 3]), padding=\"full\")", "conv1d: argument 'padding' must be one of \"same\", \"valid\""),
        ("conv1d(ones([1, 1, 4]), ones([1, 1, 3]), padding=\"valid\").shape", "")
    ]

    @Test(arguments: binding.indices)
    func binder(index: Int) {
        let (source, expected) = Self.binding[index]
        let interp = Interpreter(sink: LinesSink())
        let out = interp.execute(source, file: "t.ecgs")
        if expected.isEmpty { #expect(out.diagnostic == nil, "\(out.diagnostic?.message ?? "")"); return }
        guard let d = out.diagnostic else { Issue.record("no error for \(source)"); return }
        let text = "\(d.range.line):\(d.range.column): \(d.message)"
        #expect(text.contains(expected), "\(text)")
    }

    @Test(arguments: cases.indices)
    func error(index: Int) {
        let (source, expected) = Self.cases[index]
        let interp = Interpreter(sink: LinesSink())
        let out = interp.execute(source, file: "t.ecgs")
        guard let d = out.diagnostic else { Issue.record("no error for \(source)"); return }
        if expected == "incomplete" { #expect(d.incomplete, "\(d.message)"); return }
        let text = "\(d.range.line):\(d.range.column): \(d.message)"
        #expect(text.contains(expected), "\(text)")
        #expect(!d.incomplete)
    }

    @Test func errorKeepsEarlierBindingsAndRendersACaret() {
        let interp = Interpreter(sink: LinesSink())
        let src = "a = 1\nb = a + nope\nc = 3"
        let out = interp.execute(src, file: "s.ecgs")
        #expect(interp.variables.map(\.0) == ["a"])
        let text = out.diagnostic!.render(file: "s.ecgs", source: src)
        #expect(text == "s.ecgs:2:9: error: unknown name 'nope'\n  b = a + nope\n          ^~~~\n")
        // A trace of call sites for errors inside functions.
        let out2 = interp.execute("fn g(x) { x + nothing }\nfn h() { g(1) }\nh()", file: "s.ecgs")
        #expect(out2.diagnostic!.trace.map(\.0) == ["g", "h"])
    }

    /// `glue` keeps the order values were first recorded in; recording a name again replaces its value there.
    @Test func glueKeepsFirstOrderAndReplaces() {
        let interp = Interpreter(sink: LinesSink())
        #expect(interp.execute("glue(\"a\", 1)\nglue(\"b\", \"x\")\nglue(\"a\", 3)\nglue(\"c\", true)").diagnostic == nil)
        #expect(interp.glued.map(\.name) == ["a", "b", "c"])
        #expect(interp.glued.map { Display.repr($0.value) } == ["3", "\"x\"", "true"])
    }

    /// A stop request reaches engine work inside a built-in: `synth` stops between records and the
    /// statement fails with "interrupted", binding nothing.
    @Test func stopRequestInterruptsABuiltin() {
        let interp = Interpreter(sink: LinesSink())
        var polls = 0
        let lock = NSLock()
        interp.shouldStop = {
            lock.lock(); defer { lock.unlock() }; polls += 1; return polls > 5
        }
        let out = interp.execute("x = synth(n=400, seconds=2.5)", file: "t")
        #expect(out.diagnostic?.message == "interrupted")
        #expect(polls > 5 && polls < 400, "\(polls) polls")
        #expect(interp.variables.isEmpty)
    }

    @Test func loopOfAMillionAdditions() {
        let interp = Interpreter(sink: LinesSink())
        let t0 = Date()
        let out = interp.execute("s = 0\nfor i in range(1000000) { s = s + i }\ns", file: "t")
        #expect(out.diagnostic == nil)
        if case .number(let v)? = out.lastValue { #expect(v == 499_999_500_000) } else { Issue.record("no value") }
        print("1e6 additions: \(Date().timeIntervalSince(t0)) s")
    }

    @Test func helpIsGeneratedForEveryBuiltin() {
        let sink = LinesSink()
        let interp = Interpreter(sink: sink)
        for name in interp.visibleNames {
            let out = interp.execute("help(\(name))", file: "t")
            #expect(out.diagnostic == nil)
        }
        #expect(sink.lines.contains { $0.hasPrefix("finetune(model, ds, recipe=\"baseline\"") })
    }
}

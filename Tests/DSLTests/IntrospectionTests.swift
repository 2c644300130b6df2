import Testing
import Engine
@testable import DSL

/// The side-effect-free API the front ends use: lookup, completion, help, completeness, highlighting.
@Suite struct IntrospectionTests {
    final class CountingSink: OutputSink {
        var writes = 0, shows = 0
        func write(_ text: String) { writes += 1 }
        func show(_ value: Value) { shows += 1 }
        func progress(_ event: TrainEvent) {}
    }

    @Test func lookupCompletionAndHelpRunNothing() {
        let sink = CountingSink()
        let interp = Interpreter(sink: sink)
        interp.execute("ds = synth(n=20, seed=1, seconds=2)\nd = {alpha: 1, beta: [1, 2]}\nfn side() { print(\"ran\") }")
        let before = sink.writes
        #expect(interp.lookup(path: "print(\"x\")") == nil)
        #expect(interp.lookup(path: "side()") == nil)
        #expect(interp.help(for: "print(\"x\")").hasPrefix("help takes a name, a field path (ds.train) or a topic, and never runs code"))
        #expect(interp.help(for: "side()").hasPrefix("help takes a name"))
        #expect(interp.help(for: "ds.trian").hasPrefix("a Dataset has no field 'trian' (did you mean 'train'?)"))
        #expect(interp.help(for: "lenght").hasPrefix("no help topic 'lenght' (did you mean 'len'?)"))
        #expect(interp.completions(for: "print(\"x\").", line: "print(\"x\").").isEmpty)
        #expect(interp.completions(for: "side().", line: "side().").isEmpty)
        #expect(sink.writes == before && sink.shows == 0)
        // What it does find.
        if case .dataset(let d)? = interp.lookup(path: "ds.train") { #expect(d.split == "train") } else { Issue.record("ds.train") }
        #expect(interp.completions(for: "ds.tr", line: "ds.tr") == ["ds.train"])
        #expect(interp.completions(for: "d.", line: "d.") == ["d.alpha", "d.beta", "d.keys"])
        #expect(interp.completions(for: "epo", line: "finetune(m, ds, epo").first == "epochs=")
        #expect(interp.completions(for: "bo", line: "ds.counts; evaluate(m, ds.test, bo") == ["bootstrap="])
        #expect(interp.help(for: "ds.train").contains(".counts"))
        #expect(interp.help(for: "len").hasPrefix("len(x)"))
    }

    /// Rich front ends get HTML from the type: tables, and the types shown as a line and a table.
    @Test func htmlComesFromTheDescriptor() throws {
        let interp = Interpreter(sink: CountingSink())
        interp.execute("ds = synth(n=20, seed=1, seconds=2)\nm = net1d(preset=\"tiny\", classes=2)")
        let counts = try #require(interp.lookup(path: "ds.counts"))
        #expect(HTML.of(counts)?.hasPrefix("<table class=\"df\"><caption>") == true)
        #expect(HTML.of(try #require(interp.lookup(path: "ds")))?.hasPrefix("<p>synthetic — all: 20 records") == true)
        #expect(HTML.of(try #require(interp.lookup(path: "m")))?.contains("<th>layer</th>") == true)
        #expect(HTML.of(.number(1)) == nil && HTML.of(.string("<b>")) == nil)
        #expect(HTML.escape("a<b & \"c\">") == "a&lt;b &amp; &quot;c&quot;&gt;")
    }

    @Test func completeness() {
        #expect(Interpreter.completeness("x = 1") == .complete)
        #expect(Interpreter.completeness("fn f(x) {") == .incomplete)
        #expect(Interpreter.completeness("x = [1,") == .incomplete)
        #expect(Interpreter.completeness("x = )") == .invalid)
        #expect(Interpreter.completeness("") == .complete)
    }

    @Test func highlightCoversTheSourceAndToleratesErrors() {
        let src = "# c\nx = len(\"a\\n\") + 2.5e3 if true ! y"
        let spans = Lexer.highlight(src)
        let chars = Array(src)
        let text = spans.map { "\($0.kind.rawValue):\(String(chars[$0.start..<$0.end]))" }
        #expect(
            text == [
                "comment:# c", "name:x", "op:=", "call:len", "op:(", "string:\"a\\n\"", "op:)", "op:+", "number:2.5e3",
                "keyword:if", "keyword:true", "error:!", "name:y"
            ], "\(text)")
        #expect(Lexer.highlight("\"unterminated").map(\.kind) == [.error])
    }

    @Test func fieldsAreAssignedThroughTheirDescriptor() {
        let interp = Interpreter(sink: CountingSink())
        #expect(interp.execute("w = randn([3])\nw.requires_grad = true\nbackward(sum(w * w))\nw.grad.shape").diagnostic == nil)
        if case .list(let l)? = interp.lookup(path: "w.grad.shape") { #expect(l.items.count == 1) } else { Issue.record("no grad") }
        let ro = interp.execute("w.shape = [1]").diagnostic
        #expect(ro?.message == "field 'shape' of a Tensor is read-only (assignable: requires_grad)")
        let bad = interp.execute("w.requires_grad = 1").diagnostic
        #expect(bad?.message == "requires_grad must be true or false, got a number")
        let unknown = interp.execute("w.requires_gard = true").diagnostic
        #expect(unknown?.message.hasPrefix("a Tensor has no field 'requires_gard' (did you mean 'requires_grad'?)") == true)
        // Field names are unique per type, and every field of a tensor reads on one.
        for d in Value.allDescriptors { #expect(Set(d.fields.map(\.name)).count == d.fields.count, "\(d.name)") }
        for f in TensorType.descriptor.fields { #expect(interp.lookup(path: "w." + f.name) != nil, "w.\(f.name)") }
    }
}

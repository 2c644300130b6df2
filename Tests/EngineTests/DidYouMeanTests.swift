import Testing
@testable import Engine

/// The "did you mean" hints every unknown-name message appends.
@Suite struct DidYouMeanTests {
    /// Levenshtein plus adjacent transpositions (the optimal string alignment distance).
    @Test func editDistanceIsLevenshteinWithTranspositions() {
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("SEDE", "SEED") == 1 && editDistance("ab", "ba") == 1 && editDistance("abc", "ca") == 3)
        #expect(editDistance("", "abc") == 3 && editDistance("abc", "") == 3 && editDistance("same", "same") == 0)
        #expect(editDistance("flaw", "lawn") == 2)
    }

    @Test(arguments: [
        ("lenght", ["len", "length", "print"], " (did you mean 'length'?)"),
        ("learning_rate", ["lr", "epochs"], " (did you mean 'lr'?)"), // initials of a snake_case name
        ("EPOCHS", ["epochs"], " (did you mean 'epochs'?)"), // case is ignored
        ("xyz", ["len", "print"], ""), // nothing close
        ("ab", ["ac"], ""), // two letters: exact only
        ("abcd", ["abce", "abdd"], " (did you mean 'abce'?)"), // ties: alphabetical
        ("len", ["len"], "") // the same name is no hint
    ])
    func hints(name: String, candidates: [String], hint: String) {
        #expect(didYouMean(name, among: candidates) == hint)
    }
}

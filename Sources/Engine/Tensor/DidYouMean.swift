// "Did you mean" hints shared by engine messages and ECGScript diagnostics.

/// Edit distance for "did you mean" suggestions: Levenshtein plus adjacent transpositions (optimal string alignment).
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1), prev = Array(0...b.count), cur = before
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let substitution: Int = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            let deletion: Int = prev[j] + 1, insertion: Int = cur[j - 1] + 1
            cur[j] = Swift.min(deletion, insertion, substitution)
            // Two neighbours swapped ("SEDE" for "SEED") count as one edit.
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { cur[j] = Swift.min(cur[j], before[j - 2] + 1) }
        }
        (before, prev, cur) = (prev, cur, before)
    }
    return prev[b.count]
}

/// The closest candidate within a small distance, for "did you mean 'x'?".
public func suggestion(for name: String, among candidates: [String]) -> String? {
    let lowered = name.lowercased()
    // A candidate made of the initials of a snake_case name ("learning_rate" → "lr") is a strong match.
    let parts = lowered.split(separator: "_")
    if parts.count > 1, let c = candidates.first(where: { $0.lowercased() == String(parts.compactMap(\.first)) }) { return c }
    let limit = name.count <= 2 ? 0 : name.count <= 4 ? 1 : (name.count + 1) / 2
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(lowered, c.lowercased())
        if let b = best, d > b.1 || (d == b.1 && c >= b.0) { continue }
        best = (c, d)
    }
    guard let (c, d) = best, d <= limit, c != name else { return nil }
    return c
}

/// " (did you mean 'x'?)" for the closest candidate, or "" when none is close: the hint every
/// "unknown name/argument/key/class/lead" message appends.
public func didYouMean(_ name: String, among candidates: [String]) -> String {
    suggestion(for: name, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
}

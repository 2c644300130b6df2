/// The six benchmark tasks of Strodthoff et al. (2021) on PTB-XL.
public enum PTBXLTask: String, CaseIterable, Sendable {
    case all, diagnostic, subdiagnostic, superdiagnostic, form, rhythm

    /// The task labels of one record from its SCP codes (keys only; likelihood ignored).
    public func labels(codes: [String], statements: [String: SCPStatement]) -> Set<String> {
        var out = Set<String>()
        for c in codes {
            guard let s = statements[c] else { continue }
            switch self {
            case .all: out.insert(c)
            case .diagnostic: if s.diagnostic { out.insert(c) }
            case .subdiagnostic: if s.diagnostic && !s.diagnosticSubclass.isEmpty { out.insert(s.diagnosticSubclass) }
            case .superdiagnostic: if s.diagnostic && !s.diagnosticClass.isEmpty { out.insert(s.diagnosticClass) }
            case .form: if s.form { out.insert(c) }
            case .rhythm: if s.rhythm { out.insert(c) }
            }
        }
        return out
    }
}

/// Parses the `scp_codes` field: a Python dict literal such as `{'NORM': 100.0, 'SR': 0.0}`.

import Engine

/// A parameter of something callable: its name, the type it accepts (for help and messages), its default,
/// and — for a parameter that takes one of a fixed set of names — the choices, generated from an enum so
/// that help text and check cannot drift.
public struct Param {
    /// How a parameter gets a value when the call does not give one.
    public enum Default {
        /// The call must give it.
        case required
        /// This value.
        case value(Value)
        /// The callee computes it (a user function's default expression, evaluated at each call as in Python).
        case computed
    }

    public var name: String
    public var type: String
    public var defaultKind: Default
    public var variadic = false
    public var doc: String
    /// The accepted strings, when the parameter is a choice.
    public var choices: [String]?

    /// The default value, when there is a fixed one.
    public var defaultValue: Value? { if case .value(let v) = defaultKind { return v }; return nil }
    public var isRequired: Bool { if case .required = defaultKind { return !variadic }; return false }

    public static func required(_ name: String, _ type: String, _ doc: String = "") -> Param {
        Param(name: name, type: type, defaultKind: .required, doc: doc)
    }
    public static func optional(_ name: String, _ type: String, _ def: Value, _ doc: String = "") -> Param {
        Param(name: name, type: type, defaultKind: .value(def), doc: doc)
    }
    public static func rest(_ name: String, _ type: String, _ doc: String = "") -> Param {
        Param(name: name, type: type, defaultKind: .value(.list([])), variadic: true, doc: doc)
    }
    /// One of `among` (all cases by default); `def` nil: required, `.none`… see `optionalChoice`.
    public static func choice<C: Choice>(
        _ name: String, _ among: [C] = Array(C.allCases), default def: C?, _ doc: String = "",
        orAlso extra: String? = nil
    ) -> Param {
        let names = among.map(\.rawValue)
        let type = names.map { "\"\($0)\"" }.joined(separator: " | ") + (extra.map { " | \($0)" } ?? "")
        return Param(name: name, type: type, defaultKind: def.map { .value(.string($0.rawValue)) } ?? .required, doc: doc, choices: names)
    }
    /// A choice that may be left out (nil: the callee's own default).
    public static func optionalChoice<C: Choice>(_ name: String, _ type: C.Type, _ doc: String = "") -> Param {
        var p = choice(name, Array(C.allCases), default: nil, doc)
        p.type += " or nil"
        p.defaultKind = .value(.nil_)
        return p
    }
}

/// An enum whose cases a parameter accepts by name (`task="rhythm"`); conforming gives the help text and
/// the check, as swift-argument-parser's `ExpressibleByArgument & CaseIterable` does.
public protocol Choice: CaseIterable, RawRepresentable where RawValue == String {}

/// The two output streams `print` writes to.
public enum OutputStreamName: String, CaseIterable, Sendable { case stdout, stderr }

extension OutputStreamName: Choice {}
extension ThresholdMetrics.Rule: Choice {}
extension PTBXLTask: Choice {}
extension PTBXL.MissingRecords: Choice {}
extension WFDB.FrameAveraging: Choice {}
extension Evaluation.EmptyClasses: Choice {}
extension FilterDesign.BandType: Choice {}
extension Preprocess.ZScore: Choice {}
extension Preprocess.Baseline: Choice {}
extension TrainConfig.OptimizerChoice: Choice {}
extension TrainConfig.ScheduleChoice: Choice {}
extension Net1DConfig.Preset: Choice {}
extension Recipe: Choice {}
extension Charts.ECGLayout: Choice {}
extension ConvPadding: Choice {}
extension HistoryMetric: Choice {}

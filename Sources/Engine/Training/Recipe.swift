/// The recipes users compare (SCIENCE.md §3), by the names ECGScript and reports use.
public enum Recipe: String, CaseIterable, Sendable {
    /// ECGFounder's fine-tuning template.
    case baseline
    /// Preview linear probing on cached features, then fine-tuning with stochastic depth.
    case post
    /// A new head on frozen, cached features only.
    case linearProbe = "linear_probe"

    /// The recipe's default settings.
    public var settings: RecipeSettings {
        switch self {
        case .baseline: return .baseline
        case .post: return .post
        case .linearProbe: return .linearProbe
        }
    }
}

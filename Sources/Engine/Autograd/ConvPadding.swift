/// Named paddings of a convolution, as PyTorch's `padding="same"` / `"valid"` (with ECGFounder's SAME
/// arithmetic, which also holds for strides above 1).
public enum ConvPadding: String, CaseIterable, Sendable {
    /// Output length `ceil(L / stride)` (see `Tensor.samePadding`).
    case same
    /// No padding.
    case valid

    /// Zeros to add on the left and right of a length-`length` input.
    public func amounts(length: Int, kernel: Int, stride: Int) -> (left: Int, right: Int) {
        switch self {
        case .same: return Tensor.samePadding(length: length, kernel: kernel, stride: stride)
        case .valid: return (0, 0)
        }
    }
}

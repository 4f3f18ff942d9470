import Foundation
import Tensor

/// The feed-forward activation of a Transformer, named as `activation_function` names it.
public enum Activation: String, Sendable, CaseIterable {
    /// `x · σ(x)` (transformers' `swish` and `silu`).
    case swish
    /// `max(x, 0)`.
    case relu
    /// The exact GELU, `x · Φ(x)` with the normal CDF through `erf`.
    case gelu

    /// Applies the activation to `count` values in place.
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .swish:
            VectorKernels.swish(x, count: count)
        case .relu:
            for i in 0..<count { x[i] = max(x[i], 0) }
        case .gelu:
            for i in 0..<count { x[i] = 0.5 * x[i] * (1 + erff(x[i] * 0.70710678118654752)) }
        }
    }
}

import Foundation
import Tensor

/// The logistic function `1 / (1 + e^-x)`.
@inlinable
public func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

/// `tanh x` as `2σ(2x) − 1`: one `expf`, several times faster than `tanhf`, within 1e-7.
@inlinable
public func fastTanh(_ x: Float) -> Float { 2 / (1 + expf(-2 * x)) - 1 }

/// Gate values of one GRU step that the backward pass needs, per row `4H` values:
/// `r`, `z`, `n` and `W_hn h + b_hn`.
public let gruCacheWidth = 4

/// Advances `rows` hidden states one GRU step, in place, with PyTorch's equations:
///
///     r = σ(gi_r + gh_r + b_hr)   z = σ(gi_z + gh_z + b_hz)
///     n = tanh(gi_n + r ⊙ (gh_n + b_hn))   h' = (1 − z) ⊙ n + z ⊙ h
///
/// - Parameters:
///   - gi: `rows × 3H` input projections `W_ih x + b_ih`, row stride `giStride`.
///   - gh: `rows × 3H` recurrent projections `W_hh h` without bias, row stride `3H`.
///   - biasHH: `3H` recurrent biases.
///   - h: `rows × H` states, row stride `H`; overwritten with `h'`.
///   - cache: when given, `rows × 4H` values receiving `r`, `z`, `n`, `gh_n + b_hn`.
public func gruCellForward(
    rows: Int, hidden H: Int, gi: UnsafePointer<Float>, giStride: Int, gh: UnsafePointer<Float>,
    biasHH: UnsafePointer<Float>, h: UnsafeMutablePointer<Float>, cache: UnsafeMutablePointer<Float>? = nil
) {
    for row in 0..<rows {
        let giRow = gi + row * giStride
        let ghRow = gh + row * 3 * H
        let hRow = h + row * H
        let cacheRow = cache.map { $0 + row * 4 * H }
        for i in 0..<H {
            let r = sigmoid(giRow[i] + ghRow[i] + biasHH[i])
            let z = sigmoid(giRow[H + i] + ghRow[H + i] + biasHH[H + i])
            let hn = ghRow[2 * H + i] + biasHH[2 * H + i]
            let n = fastTanh(giRow[2 * H + i] + r * hn)
            let previous = hRow[i]
            hRow[i] = (1 - z) * n + z * previous
            if let c = cacheRow {
                c[i] = r
                c[H + i] = z
                c[2 * H + i] = n
                c[3 * H + i] = hn
            }
        }
    }
}

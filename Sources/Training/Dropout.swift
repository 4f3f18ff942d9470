import Tensor

/// An inverted-dropout mask, as PyTorch's `nn.GRU` applies between layers in training:
/// each entry is 0 with probability `p`, else `1 / (1 − p)`, so expectations are unchanged
/// and nothing needs rescaling at inference.
struct DropoutMask {
    /// `rows × cols` factors.
    let factors: Matrix

    /// A fresh `rows × cols` mask drawn from `rng`.
    init(rows: Int, cols: Int, probability p: Float, using rng: inout SeededGenerator) {
        precondition((0..<1).contains(p))
        let keep = 1 / (1 - p)
        factors = Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in rng.uniform(0, 1) < p ? 0 : keep })
    }

    /// `x ⊙ mask`, for a layer's input in the forward pass and its gradient in the backward pass.
    func apply(_ x: Matrix) -> Matrix {
        precondition(x.rows == factors.rows && x.cols == factors.cols)
        return Matrix(rows: x.rows, cols: x.cols, storage: zip(x.storage, factors.storage).map { $0 * $1 })
    }
}

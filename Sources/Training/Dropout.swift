import Tensor

/// An inverted-dropout mask, as PyTorch's `nn.Dropout` applies it in training: each entry is
/// 0 with probability `p`, else `1 / (1 − p)`, so expectations are unchanged and nothing needs
/// rescaling at inference.
struct DropoutMask {
    /// `rows × cols` factors.
    let factors: Matrix

    /// A fresh `rows × cols` mask drawn from `rng` (one uniform draw per entry, in row-major order).
    init(rows: Int, cols: Int, probability p: Float, using rng: inout SeededGenerator) {
        precondition((0..<1).contains(p))
        let keep = 1 / (1 - p)
        var factors = Matrix(rows: rows, cols: cols)
        factors.storage.withUnsafeMutableBufferPointer { f in
            for i in 0..<f.count { f[i] = rng.uniform(0, 1) < p ? 0 : keep }
        }
        self.factors = factors
    }

    /// `x ⊙ mask`, for a layer's input in the forward pass and its gradient in the backward pass.
    func apply(_ x: Matrix) -> Matrix {
        precondition(x.rows == factors.rows && x.cols == factors.cols)
        var y = x
        y.storage.withUnsafeMutableBufferPointer { yp in
            factors.storage.withUnsafeBufferPointer { f in
                for i in 0..<yp.count { yp[i] *= f[i] }
            }
        }
        return y
    }
}

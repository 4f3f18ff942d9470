import Tensor

/// A layer normalisation (`torch.nn.LayerNorm`, `eps = 1e-5`, biased variance) of every row,
/// with what its backward pass needs.
struct LayerNormTape {
    /// The normalised rows before the affine map, `(x − mean) / √(var + eps)`, `rows × d`.
    let normalized: Matrix
    /// `1 / √(var + eps)` of each row.
    let inverseDeviation: [Float]

    /// Normalises every row of `x` (`rows × d`) in place: `x̂ · gamma + beta`.
    init(normalizing x: inout Matrix, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>) {
        let (rows, d) = (x.rows, x.cols)
        var normalized = Matrix(rows: rows, cols: d)
        var inverse = [Float](repeating: 0, count: rows)
        x.storage.withUnsafeMutableBufferPointer { xp in
            normalized.storage.withUnsafeMutableBufferPointer { np in
                for r in 0..<rows {
                    let row = xp.baseAddress! + r * d
                    let out = np.baseAddress! + r * d
                    // Statistics accumulated in double: closer to PyTorch's, and cheap beside the products.
                    var sum = 0.0
                    for c in 0..<d { sum += Double(row[c]) }
                    let mean = Float(sum / Double(d))
                    var squares = 0.0
                    for c in 0..<d {
                        let centred = Double(row[c] - mean)
                        squares += centred * centred
                    }
                    let rstd = Float(1 / (squares / Double(d) + 1e-5).squareRoot())
                    inverse[r] = rstd
                    for c in 0..<d {
                        out[c] = (row[c] - mean) * rstd
                        row[c] = out[c] * gamma[c] + beta[c]
                    }
                }
            }
        }
        self.normalized = normalized
        inverseDeviation = inverse
    }

    /// The gradient with respect to the input, given `dy` (`rows × d`) with respect to the
    /// output, replacing `dy`; `gamma`'s and `beta`'s gradients are accumulated:
    ///
    ///     dγ += Σ dy ⊙ x̂    dβ += Σ dy    dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)),  g = dy ⊙ γ
    func backward(
        _ dy: inout Matrix, gamma: UnsafePointer<Float>, gammaGradient: UnsafeMutablePointer<Float>,
        betaGradient: UnsafeMutablePointer<Float>
    ) {
        let (rows, d) = (dy.rows, dy.cols)
        dy.storage.withUnsafeMutableBufferPointer { gp in
            normalized.storage.withUnsafeBufferPointer { np in
                for r in 0..<rows {
                    let g = gp.baseAddress! + r * d
                    let xhat = np.baseAddress! + r * d
                    var (sum, dot): (Float, Float) = (0, 0)
                    for c in 0..<d {
                        gammaGradient[c] += g[c] * xhat[c]
                        betaGradient[c] += g[c]
                        g[c] *= gamma[c]
                        sum += g[c]
                        dot += g[c] * xhat[c]
                    }
                    let (meanG, meanGX) = (sum / Float(d), dot / Float(d))
                    let rstd = inverseDeviation[r]
                    for c in 0..<d { g[c] = rstd * (g[c] - meanG - xhat[c] * meanGX) }
                }
            }
        }
    }
}

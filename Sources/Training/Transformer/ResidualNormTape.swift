import Tensor

/// The end of every post-norm sublayer, `y = LayerNorm(x + dropout(sublayer(x)))`, with what
/// its backward pass needs.
struct ResidualNormTape {
    /// The sublayer output's dropout mask (`nil` without dropout).
    let mask: DropoutMask?
    let norm: LayerNormTape

    /// `LayerNorm(residual + dropout(sublayer))`, both `rows × d`.
    static func forward(
        residual: Matrix, sublayer: Matrix, norm: TransformerLayout.Norm, parameters p: UnsafePointer<Float>, dropout: Float,
        rng: inout SeededGenerator
    ) -> (tape: ResidualNormTape, output: Matrix) {
        var mask: DropoutMask?
        var y = residual
        if dropout > 0 {
            mask = DropoutMask(rows: sublayer.rows, cols: sublayer.cols, probability: dropout, using: &rng)
            y.add(mask!.apply(sublayer))
        } else {
            y.add(sublayer)
        }
        let tape = LayerNormTape(normalizing: &y, gamma: p + norm.weight, beta: p + norm.bias)
        return (ResidualNormTape(mask: mask, norm: tape), y)
    }

    /// From the output's gradient `dy` (`rows × d`), the residual's gradient and the
    /// sublayer output's; the layer norm's parameter gradients are accumulated into `g`.
    func backward(
        _ dy: Matrix, norm: TransformerLayout.Norm, parameters p: UnsafePointer<Float>, gradients g: UnsafeMutablePointer<Float>
    ) -> (residual: Matrix, sublayer: Matrix) {
        var dz = dy
        self.norm.backward(&dz, gamma: p + norm.weight, gammaGradient: g + norm.weight, betaGradient: g + norm.bias)
        return (dz, mask.map { $0.apply(dz) } ?? dz)
    }
}

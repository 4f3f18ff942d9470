import Seq2Seq
import Tensor

/// One post-norm encoder layer in training (`MarianEncoderLayer`):
/// `h = LN(x + dropout(SelfAttention(x)))`, `y = LN(h + dropout(FFN(h)))`, with its caches.
struct EncoderLayerTape {
    let selfAttention: SelfAttentionTape
    let selfAttentionNorm: ResidualNormTape
    let feedForward: FeedForwardTape
    let finalNorm: ResidualNormTape

    /// The layer's output (`sourceRows × d`) for `x` (`sourceRows × d`), sentences of `lengths` rows.
    static func forward(
        _ x: Matrix, layer: TransformerLayout.EncoderLayer, lengths: [Int], activation: Activation, parameters p: UnsafePointer<Float>,
        dropout: Float, rng: inout SeededGenerator
    ) -> (tape: EncoderLayerTape, output: Matrix) {
        let (attention, a) = SelfAttentionTape.forward(x, block: layer.selfAttention, parameters: p, lengths: lengths, causal: false)
        let (norm1, h) = ResidualNormTape.forward(
            residual: x, sublayer: a, norm: layer.selfAttentionNorm, parameters: p, dropout: dropout, rng: &rng)
        let (ffn, f) = FeedForwardTape.forward(h, fc1: layer.fc1, fc2: layer.fc2, activation: activation, parameters: p)
        let (norm2, y) = ResidualNormTape.forward(residual: h, sublayer: f, norm: layer.finalNorm, parameters: p, dropout: dropout, rng: &rng)
        return (EncoderLayerTape(selfAttention: attention, selfAttentionNorm: norm1, feedForward: ffn, finalNorm: norm2), y)
    }

    /// The input's gradient from the output's; parameter gradients are accumulated into `g`.
    func backward(
        _ dy: Matrix, layer: TransformerLayout.EncoderLayer, parameters p: UnsafePointer<Float>, gradients g: UnsafeMutablePointer<Float>
    ) -> Matrix {
        var (dh, df) = finalNorm.backward(dy, norm: layer.finalNorm, parameters: p, gradients: g)
        dh.add(feedForward.backward(df, fc1: layer.fc1, fc2: layer.fc2, parameters: p, gradients: g))
        var (dx, da) = selfAttentionNorm.backward(dh, norm: layer.selfAttentionNorm, parameters: p, gradients: g)
        dx.add(selfAttention.backward(da, block: layer.selfAttention, parameters: p, gradients: g))
        return dx
    }
}

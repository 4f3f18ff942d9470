import Seq2Seq
import Tensor

/// One post-norm decoder layer in training (`MarianDecoderLayer`):
/// `h₁ = LN(x + dropout(CausalSelfAttention(x)))`, `h₂ = LN(h₁ + dropout(CrossAttention(h₁, e)))`,
/// `y = LN(h₂ + dropout(FFN(h₂)))`, with its caches.
struct DecoderLayerTape {
    let selfAttention: SelfAttentionTape
    let selfAttentionNorm: ResidualNormTape
    let crossAttention: CrossAttentionTape
    let crossAttentionNorm: ResidualNormTape
    let feedForward: FeedForwardTape
    let finalNorm: ResidualNormTape

    /// The layer's output (`targetRows × d`) for `x` (`targetRows × d`) and the encoder output
    /// `e` (`sourceRows × d`).
    static func forward(
        _ x: Matrix, encoderOutput e: Matrix, layer: TransformerLayout.DecoderLayer, targetLengths: [Int], sourceLengths: [Int],
        activation: Activation, parameters p: UnsafePointer<Float>, dropout: Float, rng: inout SeededGenerator
    ) -> (tape: DecoderLayerTape, output: Matrix) {
        let (attention, a) = SelfAttentionTape.forward(x, block: layer.selfAttention, parameters: p, lengths: targetLengths, causal: true)
        let (norm1, h1) = ResidualNormTape.forward(
            residual: x, sublayer: a, norm: layer.selfAttentionNorm, parameters: p, dropout: dropout, rng: &rng)
        let (cross, c) = CrossAttentionTape.forward(
            h1, encoderOutput: e, block: layer.crossAttention, parameters: p, targetLengths: targetLengths, sourceLengths: sourceLengths)
        let (norm2, h2) = ResidualNormTape.forward(
            residual: h1, sublayer: c, norm: layer.crossAttentionNorm, parameters: p, dropout: dropout, rng: &rng)
        let (ffn, f) = FeedForwardTape.forward(h2, fc1: layer.fc1, fc2: layer.fc2, activation: activation, parameters: p)
        let (norm3, y) = ResidualNormTape.forward(residual: h2, sublayer: f, norm: layer.finalNorm, parameters: p, dropout: dropout, rng: &rng)
        let tape = DecoderLayerTape(
            selfAttention: attention, selfAttentionNorm: norm1, crossAttention: cross, crossAttentionNorm: norm2, feedForward: ffn,
            finalNorm: norm3)
        return (tape, y)
    }

    /// The input's gradient from the output's; the encoder output's gradient is added to
    /// `dEncoderOutput` and parameter gradients to `g`.
    func backward(
        _ dy: Matrix, encoderOutput e: Matrix, dEncoderOutput: inout Matrix, layer: TransformerLayout.DecoderLayer,
        parameters p: UnsafePointer<Float>, gradients g: UnsafeMutablePointer<Float>
    ) -> Matrix {
        var (dh2, df) = finalNorm.backward(dy, norm: layer.finalNorm, parameters: p, gradients: g)
        dh2.add(feedForward.backward(df, fc1: layer.fc1, fc2: layer.fc2, parameters: p, gradients: g))
        var (dh1, dc) = crossAttentionNorm.backward(dh2, norm: layer.crossAttentionNorm, parameters: p, gradients: g)
        dh1.add(
            crossAttention.backward(
                dc, encoderOutput: e, dEncoderOutput: &dEncoderOutput, block: layer.crossAttention, parameters: p, gradients: g))
        var (dx, da) = selfAttentionNorm.backward(dh1, norm: layer.selfAttentionNorm, parameters: p, gradients: g)
        dx.add(selfAttention.backward(da, block: layer.selfAttention, parameters: p, gradients: g))
        return dx
    }
}

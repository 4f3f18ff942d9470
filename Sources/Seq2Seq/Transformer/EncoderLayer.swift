import Tensor

/// One post-norm Transformer encoder layer (transformers' `MarianEncoderLayer`):
/// `x = LN(x + SelfAttention(x))`, then `x = LN(x + FFN(x))`.
struct EncoderLayer: Sendable {
    /// Query, key and value projections side by side, `d → 3d`.
    let queryKeyValue: Linear
    /// `d → d`.
    let output: Linear
    let selfAttentionNorm: LayerNorm
    let feedForward: FeedForward
    let finalNorm: LayerNorm
    let heads: Int

    /// Loads `model.encoder.layers.N` (`prefix`).
    init(_ prefix: String, config: MarianConfig, tensors: inout CheckpointTensors) throws(ModelDirectoryError) {
        let d = config.dModel
        heads = config.encoderAttentionHeads
        queryKeyValue = try tensors.attentionInputs("\(prefix).self_attn", width: d)
        output = try tensors.dense("\(prefix).self_attn.out_proj", inputs: d, outputs: d)
        selfAttentionNorm = try tensors.layerNorm("\(prefix).self_attn_layer_norm", width: d)
        feedForward = try FeedForward(prefix, width: d, hidden: config.encoderFFNDim, activation: config.activation!, tensors: &tensors)
        finalNorm = try tensors.layerNorm("\(prefix).final_layer_norm", width: d)
    }

    /// The layer over packed sentences.
    ///
    /// - Parameters:
    ///   - x: `tokens × d`, the sentences' rows one after another.
    ///   - lengths: each sentence's number of rows, in order; attention stays within a sentence,
    ///     so no padding ever enters the computation.
    /// - Returns: `tokens × d`.
    func callAsFunction(_ x: Matrix, lengths: [Int]) -> Matrix {
        let d = x.cols
        var qkv = queryKeyValue(x)
        qkv.scaleQueries(width: d, headWidth: d / heads)
        var attended = Matrix(rows: x.rows, cols: d)
        var scores = [Float](repeating: 0, count: lengths.max() ?? 0)
        qkv.storage.withUnsafeBufferPointer { p in
            attended.storage.withUnsafeMutableBufferPointer { out in
                scores.withUnsafeMutableBufferPointer { s in
                    var first = 0
                    for length in lengths {
                        let sentence = p.baseAddress! + first * 3 * d
                        for i in 0..<length {
                            Attention.attend(
                                query: sentence + i * 3 * d, keys: sentence + d, values: sentence + 2 * d, stride: 3 * d,
                                count: length, heads: heads, headWidth: d / heads, scores: s.baseAddress!,
                                output: out.baseAddress! + (first + i) * d)
                        }
                        first += length
                    }
                }
            }
        }
        var y = x
        y.add(output(attended))
        selfAttentionNorm.apply(&y)
        y.add(feedForward(y))
        finalNorm.apply(&y)
        return y
    }
}

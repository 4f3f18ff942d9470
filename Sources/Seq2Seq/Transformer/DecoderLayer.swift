import Tensor

/// One post-norm Transformer decoder layer (transformers' `MarianDecoderLayer`):
/// `x = LN(x + SelfAttention(x))`, `x = LN(x + CrossAttention(x, encoder))`, `x = LN(x + FFN(x))`.
struct DecoderLayer: Sendable {
    /// Self-attention query, key and value projections, `d → 3d`.
    let queryKeyValue: Linear
    /// `d → d`.
    let selfOutput: Linear
    let selfAttentionNorm: LayerNorm
    /// Cross-attention query projection, `d → d`.
    let crossQuery: Linear
    /// Cross-attention key and value projections of the encoder output, `d → 2d`.
    let crossKeyValue: Linear
    /// `d → d`.
    let crossOutput: Linear
    let crossAttentionNorm: LayerNorm
    let feedForward: FeedForward
    let finalNorm: LayerNorm
    let heads: Int

    /// Loads `model.decoder.layers.N` (`prefix`).
    init(_ prefix: String, config: MarianConfig, tensors: inout CheckpointTensors) throws(ModelDirectoryError) {
        let d = config.dModel
        heads = config.decoderAttentionHeads
        queryKeyValue = try tensors.attentionInputs("\(prefix).self_attn", width: d)
        selfOutput = try tensors.dense("\(prefix).self_attn.out_proj", inputs: d, outputs: d)
        selfAttentionNorm = try tensors.layerNorm("\(prefix).self_attn_layer_norm", width: d)
        crossQuery = try tensors.dense("\(prefix).encoder_attn.q_proj", inputs: d, outputs: d)
        crossKeyValue = Linear(
            try tensors.linear("\(prefix).encoder_attn.k_proj", inputs: d, outputs: d),
            try tensors.linear("\(prefix).encoder_attn.v_proj", inputs: d, outputs: d), computeType: tensors.computeType)
        crossOutput = try tensors.dense("\(prefix).encoder_attn.out_proj", inputs: d, outputs: d)
        crossAttentionNorm = try tensors.layerNorm("\(prefix).encoder_attn_layer_norm", width: d)
        feedForward = try FeedForward(prefix, width: d, hidden: config.decoderFFNDim, activation: config.activation!, tensors: &tensors)
        finalNorm = try tensors.layerNorm("\(prefix).final_layer_norm", width: d)
    }

    /// One step of the layer for every row of `state`.
    ///
    /// - Parameters:
    ///   - x: `rows × d`, each row's input at position `state.position`.
    ///   - layer: this layer's index into the state's caches.
    ///   - state: its caches receive this position's keys and values.
    /// - Returns: `rows × d`.
    func step(_ x: Matrix, layer: Int, state: inout TransformerDecoderState) -> Matrix {
        let (rows, d, t) = (x.rows, x.cols, state.position)
        let capacity = state.capacity
        var qkv = queryKeyValue(x)
        qkv.scaleQueries(width: d, headWidth: d / heads)
        var attended = Matrix(rows: rows, cols: d)
        var scores = [Float](repeating: 0, count: max(t + 1, state.memory.lengths.max() ?? 0))
        qkv.storage.withUnsafeBufferPointer { p in
            state.keys[layer].withUnsafeMutableBufferPointer { k in
                state.values[layer].withUnsafeMutableBufferPointer { v in
                    attended.storage.withUnsafeMutableBufferPointer { out in
                        scores.withUnsafeMutableBufferPointer { s in
                            for r in 0..<rows {
                                let cacheRow = r * capacity * d
                                (k.baseAddress! + cacheRow + t * d).update(from: p.baseAddress! + r * 3 * d + d, count: d)
                                (v.baseAddress! + cacheRow + t * d).update(from: p.baseAddress! + r * 3 * d + 2 * d, count: d)
                                Attention.attend(
                                    query: p.baseAddress! + r * 3 * d, keys: k.baseAddress! + cacheRow, values: v.baseAddress! + cacheRow,
                                    stride: d, count: t + 1, heads: heads, headWidth: d / heads, scores: s.baseAddress!,
                                    output: out.baseAddress! + r * d)
                            }
                        }
                    }
                }
            }
        }
        var y = x
        y.add(selfOutput(attended))
        selfAttentionNorm.apply(&y)
        var query = crossQuery(y)
        query.scaleQueries(width: d, headWidth: d / heads)
        y.add(crossOutput(crossAttend(query, layer: layer, state: state, scores: &scores)))
        crossAttentionNorm.apply(&y)
        y.add(feedForward(y))
        finalNorm.apply(&y)
        return y
    }

    /// Each row's attention over its sentence's encoder output, for queries `q` (`rows × d`).
    private func crossAttend(_ q: Matrix, layer: Int, state: TransformerDecoderState, scores: inout [Float]) -> Matrix {
        let d = q.cols
        let memory = state.memory
        var attended = Matrix(rows: q.rows, cols: d)
        q.storage.withUnsafeBufferPointer { qp in
            memory.keysValues[layer].storage.withUnsafeBufferPointer { kv in
                attended.storage.withUnsafeMutableBufferPointer { out in
                    scores.withUnsafeMutableBufferPointer { s in
                        for (r, sentence) in state.sentences.enumerated() {
                            let source = kv.baseAddress! + memory.offsets[sentence] * 2 * d
                            Attention.attend(
                                query: qp.baseAddress! + r * d, keys: source, values: source + d, stride: 2 * d,
                                count: memory.lengths[sentence], heads: heads, headWidth: d / heads, scores: s.baseAddress!,
                                output: out.baseAddress! + r * d)
                        }
                    }
                }
            }
        }
        return attended
    }
}

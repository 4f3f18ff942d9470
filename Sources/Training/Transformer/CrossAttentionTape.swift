import Tensor

/// A decoder layer's attention over the encoder output (`encoder_attn`), packed: each
/// sentence's target rows attend to its own source rows only. Queries `q_proj(y)·s`, keys
/// `k_proj(e)`, values `v_proj(e)` for decoder states `y` and encoder output `e`.
struct CrossAttentionTape {
    /// The decoder states, `targetRows × d`.
    let input: Matrix
    /// Scaled queries, `targetRows × d`.
    let queries: Matrix
    /// Keys and values side by side, `sourceRows × 2d`.
    let keysValues: Matrix
    let attention: AttentionTape
    /// The heads' outputs side by side, before `out_proj`, `targetRows × d`.
    let context: Matrix

    /// The sublayer's output (`targetRows × d`).
    static func forward(
        _ y: Matrix, encoderOutput e: Matrix, block: TransformerLayout.Attention, parameters p: UnsafePointer<Float>,
        targetLengths: [Int], sourceLengths: [Int]
    ) -> (tape: CrossAttentionTape, output: Matrix) {
        let d = y.cols
        let headWidth = d / block.heads
        var queries = DenseKernels.apply(block.query, to: y, parameters: p)
        queries.storage.withUnsafeMutableBufferPointer {
            scaleColumns($0.baseAddress!, rows: y.rows, stride: d, width: d, by: queryScale(headWidth))
        }
        var keysValues = Matrix(rows: e.rows, cols: 2 * d)
        e.storage.withUnsafeBufferPointer { ep in
            keysValues.storage.withUnsafeMutableBufferPointer { kvp in
                for (k, dense) in [block.key, block.value].enumerated() {
                    DenseKernels.forward(ep.baseAddress!, ldx: d, rows: e.rows, dense: dense, parameters: p, into: kvp.baseAddress! + k * d, ldy: 2 * d)
                }
            }
        }
        var context = Matrix(rows: y.rows, cols: d)
        let attention = queries.storage.withUnsafeBufferPointer { qp in
            keysValues.storage.withUnsafeBufferPointer { kvp in
                context.storage.withUnsafeMutableBufferPointer { cp in
                    AttentionTape(
                        queries: qp.baseAddress!, ldq: d, keys: kvp.baseAddress!, values: kvp.baseAddress! + d, ldkv: 2 * d,
                        queryLengths: targetLengths, keyLengths: sourceLengths, heads: block.heads, headWidth: headWidth,
                        causal: false, output: cp.baseAddress!, ldo: d)
                }
            }
        }
        let output = DenseKernels.apply(block.output, to: context, parameters: p)
        let tape = CrossAttentionTape(input: y, queries: queries, keysValues: keysValues, attention: attention, context: context)
        return (tape, output)
    }

    /// The decoder states' gradient from the output's, `dOutput` (`targetRows × d`); the
    /// encoder output's gradient is added to `dEncoderOutput` (`sourceRows × d`) and the
    /// parameter gradients to `g`.
    func backward(
        _ dOutput: Matrix, encoderOutput e: Matrix, dEncoderOutput: inout Matrix, block: TransformerLayout.Attention,
        parameters p: UnsafePointer<Float>, gradients g: UnsafeMutablePointer<Float>
    ) -> Matrix {
        let (rows, d) = (input.rows, input.cols)
        let headWidth = d / block.heads
        let dContext = DenseKernels.backward(block.output, dy: dOutput, x: context, parameters: p, gradients: g)
        var dQueries = Matrix(rows: rows, cols: d)
        var dKeysValues = Matrix(rows: e.rows, cols: 2 * d)
        dContext.storage.withUnsafeBufferPointer { dcp in
            queries.storage.withUnsafeBufferPointer { qp in
                keysValues.storage.withUnsafeBufferPointer { kvp in
                    dQueries.storage.withUnsafeMutableBufferPointer { dqp in
                        dKeysValues.storage.withUnsafeMutableBufferPointer { dkvp in
                            attention.backward(
                                dOutput: dcp.baseAddress!, lddo: d, queries: qp.baseAddress!, ldq: d, keys: kvp.baseAddress!,
                                values: kvp.baseAddress! + d, ldkv: 2 * d, dQueries: dqp.baseAddress!, lddq: d,
                                dKeys: dkvp.baseAddress!, dValues: dkvp.baseAddress! + d, lddkv: 2 * d)
                            scaleColumns(dqp.baseAddress!, rows: rows, stride: d, width: d, by: queryScale(headWidth))
                        }
                    }
                }
            }
        }
        dKeysValues.storage.withUnsafeBufferPointer { dkvp in
            e.storage.withUnsafeBufferPointer { ep in
                dEncoderOutput.storage.withUnsafeMutableBufferPointer { dep in
                    for (k, dense) in [block.key, block.value].enumerated() {
                        DenseKernels.backward(
                            dkvp.baseAddress! + k * d, lddy: 2 * d, x: ep.baseAddress!, ldx: d, rows: e.rows, dense: dense, parameters: p,
                            gradients: g, into: dep.baseAddress!, lddx: d, accumulate: true)
                    }
                }
            }
        }
        return DenseKernels.backward(block.query, dy: dQueries, x: input, parameters: p, gradients: g)
    }
}

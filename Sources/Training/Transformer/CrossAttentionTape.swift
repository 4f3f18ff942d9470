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
        var queries = Matrix(rows: y.rows, cols: d)
        var keysValues = Matrix(rows: e.rows, cols: 2 * d)
        var context = Matrix(rows: y.rows, cols: d)
        var output = Matrix(rows: y.rows, cols: d)
        y.storage.withUnsafeBufferPointer { yp in
            queries.storage.withUnsafeMutableBufferPointer { qp in
                DenseKernels.forward(
                    yp.baseAddress!, ldx: d, rows: y.rows, weight: p + block.query.weight, bias: p + block.query.bias, inputs: d,
                    outputs: d, into: qp.baseAddress!, ldy: d)
                scaleColumns(qp.baseAddress!, rows: y.rows, stride: d, width: d, by: queryScale(headWidth))
            }
        }
        e.storage.withUnsafeBufferPointer { ep in
            keysValues.storage.withUnsafeMutableBufferPointer { kvp in
                for (k, dense) in [block.key, block.value].enumerated() {
                    DenseKernels.forward(
                        ep.baseAddress!, ldx: d, rows: e.rows, weight: p + dense.weight, bias: p + dense.bias, inputs: d, outputs: d,
                        into: kvp.baseAddress! + k * d, ldy: 2 * d)
                }
            }
        }
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
        context.storage.withUnsafeBufferPointer { cp in
            output.storage.withUnsafeMutableBufferPointer {
                DenseKernels.forward(
                    cp.baseAddress!, ldx: d, rows: y.rows, weight: p + block.output.weight, bias: p + block.output.bias, inputs: d,
                    outputs: d, into: $0.baseAddress!, ldy: d)
            }
        }
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
        var dContext = Matrix(rows: rows, cols: d)
        var dQueries = Matrix(rows: rows, cols: d)
        var dKeysValues = Matrix(rows: e.rows, cols: 2 * d)
        var dInput = Matrix(rows: rows, cols: d)
        dOutput.storage.withUnsafeBufferPointer { dop in
            context.storage.withUnsafeBufferPointer { cp in
                DenseKernels.accumulateParameterGradients(
                    dop.baseAddress!, lddy: d, x: cp.baseAddress!, ldx: d, rows: rows, inputs: d, outputs: d,
                    weightGradient: g + block.output.weight, biasGradient: g + block.output.bias)
            }
            dContext.storage.withUnsafeMutableBufferPointer {
                DenseKernels.inputGradient(
                    dop.baseAddress!, lddy: d, rows: rows, weight: p + block.output.weight, inputs: d, outputs: d,
                    into: $0.baseAddress!, lddx: d, accumulate: false)
            }
        }
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
        dQueries.storage.withUnsafeBufferPointer { dqp in
            input.storage.withUnsafeBufferPointer { yp in
                DenseKernels.accumulateParameterGradients(
                    dqp.baseAddress!, lddy: d, x: yp.baseAddress!, ldx: d, rows: rows, inputs: d, outputs: d,
                    weightGradient: g + block.query.weight, biasGradient: g + block.query.bias)
            }
            dInput.storage.withUnsafeMutableBufferPointer {
                DenseKernels.inputGradient(
                    dqp.baseAddress!, lddy: d, rows: rows, weight: p + block.query.weight, inputs: d, outputs: d,
                    into: $0.baseAddress!, lddx: d, accumulate: false)
            }
        }
        dKeysValues.storage.withUnsafeBufferPointer { dkvp in
            e.storage.withUnsafeBufferPointer { ep in
                dEncoderOutput.storage.withUnsafeMutableBufferPointer { dep in
                    for (k, dense) in [block.key, block.value].enumerated() {
                        DenseKernels.accumulateParameterGradients(
                            dkvp.baseAddress! + k * d, lddy: 2 * d, x: ep.baseAddress!, ldx: d, rows: e.rows, inputs: d, outputs: d,
                            weightGradient: g + dense.weight, biasGradient: g + dense.bias)
                        DenseKernels.inputGradient(
                            dkvp.baseAddress! + k * d, lddy: 2 * d, rows: e.rows, weight: p + dense.weight, inputs: d, outputs: d,
                            into: dep.baseAddress!, lddx: d, accumulate: true)
                    }
                }
            }
        }
        return dInput
    }
}

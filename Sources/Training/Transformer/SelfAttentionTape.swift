import Foundation
import Tensor

/// A self-attention sublayer (`MarianAttention` without key-value states) over packed
/// sentences, `out_proj(attention(q_proj(x)·s, k_proj(x), v_proj(x)))` with `s = 1/√headWidth`,
/// and what its backward pass needs.
struct SelfAttentionTape {
    /// The input, `rows × d`.
    let input: Matrix
    /// Scaled queries, keys and values side by side, `rows × 3d`.
    let projections: Matrix
    let attention: AttentionTape
    /// The heads' outputs side by side, before `out_proj`, `rows × d`.
    let context: Matrix

    /// The sublayer's output (`rows × d`) for `x` (`rows × d`), sentences of `lengths` rows;
    /// `causal` for the decoder.
    static func forward(
        _ x: Matrix, block: TransformerLayout.Attention, parameters p: UnsafePointer<Float>, lengths: [Int], causal: Bool
    ) -> (tape: SelfAttentionTape, output: Matrix) {
        let (rows, d) = (x.rows, x.cols)
        let headWidth = d / block.heads
        var projections = Matrix(rows: rows, cols: 3 * d)
        var context = Matrix(rows: rows, cols: d)
        let attention = x.storage.withUnsafeBufferPointer { xp in
            projections.storage.withUnsafeMutableBufferPointer { qkv in
                for (k, dense) in [block.query, block.key, block.value].enumerated() {
                    DenseKernels.forward(xp.baseAddress!, ldx: d, rows: rows, dense: dense, parameters: p, into: qkv.baseAddress! + k * d, ldy: 3 * d)
                }
                scaleColumns(qkv.baseAddress!, rows: rows, stride: 3 * d, width: d, by: queryScale(headWidth))
                return context.storage.withUnsafeMutableBufferPointer { cp in
                    let q = UnsafePointer(qkv.baseAddress!)
                    return AttentionTape(
                        queries: q, ldq: 3 * d, keys: q + d, values: q + 2 * d, ldkv: 3 * d, queryLengths: lengths,
                        keyLengths: lengths, heads: block.heads, headWidth: headWidth, causal: causal, output: cp.baseAddress!, ldo: d)
                }
            }
        }
        let output = DenseKernels.apply(block.output, to: context, parameters: p)
        return (SelfAttentionTape(input: x, projections: projections, attention: attention, context: context), output)
    }

    /// The input's gradient from the output's, `dOutput` (`rows × d`); the projections'
    /// parameter gradients are accumulated into `g`.
    func backward(
        _ dOutput: Matrix, block: TransformerLayout.Attention, parameters p: UnsafePointer<Float>,
        gradients g: UnsafeMutablePointer<Float>
    ) -> Matrix {
        let (rows, d) = (input.rows, input.cols)
        let headWidth = d / block.heads
        let dContext = DenseKernels.backward(block.output, dy: dOutput, x: context, parameters: p, gradients: g)
        var dProjections = Matrix(rows: rows, cols: 3 * d)
        var dInput = Matrix(rows: rows, cols: d)
        dContext.storage.withUnsafeBufferPointer { dcp in
            projections.storage.withUnsafeBufferPointer { qkv in
                dProjections.storage.withUnsafeMutableBufferPointer { dqkv in
                    let (q, dq) = (qkv.baseAddress!, dqkv.baseAddress!)
                    attention.backward(
                        dOutput: dcp.baseAddress!, lddo: d, queries: q, ldq: 3 * d, keys: q + d, values: q + 2 * d, ldkv: 3 * d,
                        dQueries: dq, lddq: 3 * d, dKeys: dq + d, dValues: dq + 2 * d, lddkv: 3 * d)
                    // The queries were scaled after their projection.
                    scaleColumns(dq, rows: rows, stride: 3 * d, width: d, by: queryScale(headWidth))
                }
            }
        }
        dProjections.storage.withUnsafeBufferPointer { dqkv in
            input.storage.withUnsafeBufferPointer { xp in
                dInput.storage.withUnsafeMutableBufferPointer { dxp in
                    for (k, dense) in [block.query, block.key, block.value].enumerated() {
                        DenseKernels.backward(
                            dqkv.baseAddress! + k * d, lddy: 3 * d, x: xp.baseAddress!, ldx: d, rows: rows, dense: dense, parameters: p,
                            gradients: g, into: dxp.baseAddress!, lddx: d, accumulate: k > 0)
                    }
                }
            }
        }
        return dInput
    }
}

/// `1/√headWidth`, rounded as transformers rounds `head_dim ** -0.5`.
func queryScale(_ headWidth: Int) -> Float { Float(1 / Double(headWidth).squareRoot()) }

/// Multiplies columns `0..<width` of `rows` rows (leading dimension `stride`) by `factor`.
func scaleColumns(_ x: UnsafeMutablePointer<Float>, rows: Int, stride: Int, width: Int, by factor: Float) {
    for r in 0..<rows {
        let row = x + r * stride
        for c in 0..<width { row[c] *= factor }
    }
}

import Seq2Seq
import Tensor

/// Gradients a GRU layer's backward pass hands back.
struct GRUGradients {
    /// Gradient of the loss with respect to the layer's input, `N × inputColumns.count`.
    let input: Matrix
    /// Gradient with respect to the input projections `x · W_ihᵀ + b_ih`, `N × 3H`: the
    /// caller sums it per sequence for a `sequenceGI`.
    let inputProjections: Matrix
    /// Gradient with respect to the initial states, `B × H` in sorted order.
    let initial: Matrix
}

/// Back-propagation through time for one GRU layer, over matrix–matrix products.
///
/// With `a` the pre-activations and `hn = W_hn h + b_hn`, each step's gradient `g` of the new
/// state gives
///
///     dn = g (1 − z)    dz = g (h − n)    dh = g z + dgh · W_hh
///     da_n = dn (1 − n²)    da_r = da_n · hn · r (1 − r)    da_z = dz · z (1 − z)
///     dgi = [da_r, da_z, da_n]    dgh = [da_r, da_z, da_n · r]
///
/// Only `dgh · W_hh` runs per step; the weight gradients are one product over all rows.
///
/// - Parameters:
///   - w: the layer's weights, as in the forward pass.
///   - tape: what ``forwardGRU`` saved.
///   - outputGradients: `N × H` gradient of the loss with respect to the outputs, or `nil`
///     when the outputs feed nothing.
///   - finalGradients: `B × H` (sorted order) gradient with respect to the final states.
///   - grads: accumulates the gradients of `W_ih[:, tape.inputColumns]`, `b_ih`, `W_hh`, `b_hh`.
func backwardGRU(
    _ w: GRUWeights, tape: GRUTape, layout: PackedLayout, outputGradients: Matrix?, finalGradients: Matrix,
    grads: inout GRUWeights
) -> GRUGradients {
    let h = w.hiddenSize
    let g3 = 3 * h
    let g4 = gruCacheWidth * h
    let n = layout.totalRows
    var dgi = Matrix(rows: n, cols: g3)
    var dgh = Matrix(rows: n, cols: g3)
    var previous = Matrix(rows: n, cols: h)  // the state each row's step started from
    var dh = finalGradients
    tape.gates.withUnsafeBufferPointer { gates in
        tape.outputs.storage.withUnsafeBufferPointer { out in
            tape.initial.storage.withUnsafeBufferPointer { h0 in
                w.weightHH.storage.withUnsafeBufferPointer { whh in
                    dgi.storage.withUnsafeMutableBufferPointer { dgiP in
                        dgh.storage.withUnsafeMutableBufferPointer { dghP in
                            previous.storage.withUnsafeMutableBufferPointer { prevP in
                                dh.storage.withUnsafeMutableBufferPointer { dhP in
                                    for t in stride(from: layout.steps - 1, through: 0, by: -1) {
                                        let rows = layout.batchSizes[t]
                                        let first = layout.offsets[t]
                                        let prevRows = t == 0 ? h0.baseAddress! : out.baseAddress! + layout.offsets[t - 1] * h
                                        (prevP.baseAddress! + first * h).update(from: prevRows, count: rows * h)
                                        if let outputGradients {
                                            outputGradients.storage.withUnsafeBufferPointer { dOut in
                                                BLAS.axpy(n: rows * h, alpha: 1, x: dOut.baseAddress! + first * h, y: dhP.baseAddress!)
                                            }
                                        }
                                        gruCellBackward(
                                            rows: rows, hidden: h, gates: gates.baseAddress! + first * g4, previous: prevRows,
                                            dh: dhP.baseAddress!, dgi: dgiP.baseAddress! + first * g3, dgh: dghP.baseAddress! + first * g3)
                                        // dh += dgh · W_hh: (rows × 3H) · (3H × H).
                                        BLAS.gemm(
                                            m: rows, n: h, k: g3, a: dghP.baseAddress! + first * g3, lda: g3, b: whh.baseAddress!, ldb: h,
                                            beta: 1, c: dhP.baseAddress!, ldc: h)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // dW_hh += dghᵀ · previous, db_hh += Σ dgh.
    accumulateProduct(transposing: dgh, times: previous, into: &grads.weightHH, columns: 0..<h)
    accumulateColumnSums(of: dgh, into: &grads.biasHH)
    // dW_ih[:, cols] += dgiᵀ · x, db_ih += Σ dgi, dx = dgi · W_ih[:, cols].
    accumulateProduct(transposing: dgi, times: tape.input, into: &grads.weightIH, columns: tape.inputColumns)
    accumulateColumnSums(of: dgi, into: &grads.biasIH)
    let dx = product(dgi, w.weightIH, columns: tape.inputColumns, transposed: false)
    return GRUGradients(input: dx, inputProjections: dgi, initial: dh)
}

/// The element-wise part of one backward GRU step (see ``backwardGRU``): reads the state
/// gradients `dh` (`rows × H`) and the saved gates, writes `dgi` and `dgh` (`rows × 3H`) and
/// replaces `dh` with its direct share `g · z`.
@inline(__always)
func gruCellBackward(
    rows: Int, hidden h: Int, gates: UnsafePointer<Float>, previous: UnsafePointer<Float>, dh: UnsafeMutablePointer<Float>,
    dgi: UnsafeMutablePointer<Float>, dgh: UnsafeMutablePointer<Float>
) {
    for row in 0..<rows {
        let c = gates + row * gruCacheWidth * h
        let hp = previous + row * h
        let d = dh + row * h
        let gi = dgi + row * 3 * h
        let gh = dgh + row * 3 * h
        for i in 0..<h {
            let g = d[i]
            let (r, z, nv, hn) = (c[i], c[h + i], c[2 * h + i], c[3 * h + i])
            let dan = g * (1 - z) * (1 - nv * nv)
            let dar = dan * hn * r * (1 - r)
            let daz = g * (hp[i] - nv) * z * (1 - z)
            gi[i] = dar
            gi[h + i] = daz
            gi[2 * h + i] = dan
            gh[i] = dar
            gh[h + i] = daz
            gh[2 * h + i] = dan * r
            d[i] = g * z
        }
    }
}

import Seq2Seq
import Tensor

/// What one GRU layer's forward pass over a packed batch saves for back-propagation
/// through time. `N` is the number of packed rows, `B` the number of sequences, `H` the
/// hidden width; rows follow the batch's ``PackedLayout``.
struct GRUTape {
    /// The layer's input, `N × inputColumns.count` (after dropout).
    let input: Matrix
    /// The columns of `W_ih` that `input` feeds; the rest (the decoder's context) are
    /// projected once per sequence by the caller.
    let inputColumns: Range<Int>
    /// Initial states, `B × H` in sorted order.
    let initial: Matrix
    /// The state after each step, `N × H`: the layer's outputs.
    let outputs: Matrix
    /// `r`, `z`, `n` and `W_hn h + b_hn` of each row, `N × 4H`.
    let gates: [Float]
    /// Each sequence's final state, `B × H` in sorted order.
    let final: Matrix
}

/// Runs a GRU layer over a packed batch and keeps what ``backwardGRU`` needs.
///
/// - Parameters:
///   - w: the layer (PyTorch layout, gates r, z, n).
///   - input: `N × inputColumns.count`.
///   - inputColumns: the columns of `W_ih` that `input` feeds.
///   - sequenceGI: `B × 3H` (sorted order) added to every step's input projection of that
///     sequence: the decoder's context share, `c · W_ih[:, E...]ᵀ`.
///   - initial: `B × H` initial states in sorted order.
func forwardGRU(
    _ w: GRUWeights, input: Matrix, inputColumns: Range<Int>, sequenceGI: Matrix?, layout: PackedLayout, initial: Matrix
) -> GRUTape {
    let h = w.hiddenSize
    let g3 = 3 * h
    let n = layout.totalRows
    precondition(input.rows == n && input.cols == inputColumns.count && initial.rows == layout.batch)
    // gi = x · W_ih[:, cols]ᵀ + b_ih (+ the sequence's share).
    var gi = product(input, w.weightIH, columns: inputColumns, transposed: true)
    gi.addRowVector(w.biasIH.storage)
    if let sequenceGI {
        gi.storage.withUnsafeMutableBufferPointer { g in
            sequenceGI.storage.withUnsafeBufferPointer { s in
                for t in 0..<layout.steps {
                    for j in 0..<layout.batchSizes[t] {
                        BLAS.axpy(n: g3, alpha: 1, x: s.baseAddress! + j * g3, y: g.baseAddress! + layout.row(step: t, sorted: j) * g3)
                    }
                }
            }
        }
    }
    var state = initial
    var outputs = Matrix(rows: n, cols: h)
    var gates = [Float](repeating: 0, count: n * gruCacheWidth * h)
    var gh = [Float](repeating: 0, count: layout.batch * g3)
    gi.storage.withUnsafeBufferPointer { g in
        w.weightHH.storage.withUnsafeBufferPointer { whh in
            w.biasHH.storage.withUnsafeBufferPointer { bhh in
                state.storage.withUnsafeMutableBufferPointer { s in
                    outputs.storage.withUnsafeMutableBufferPointer { o in
                        gates.withUnsafeMutableBufferPointer { cache in
                            gh.withUnsafeMutableBufferPointer { ghp in
                                for t in 0..<layout.steps {
                                    let rows = layout.batchSizes[t]
                                    let first = layout.offsets[t]
                                    BLAS.gemm(
                                        transB: true, m: rows, n: g3, k: h, a: s.baseAddress!, lda: h, b: whh.baseAddress!, ldb: h,
                                        c: ghp.baseAddress!, ldc: g3)
                                    gruCellForward(
                                        rows: rows, hidden: h, gi: g.baseAddress! + first * g3, giStride: g3, gh: ghp.baseAddress!,
                                        biasHH: bhh.baseAddress!, h: s.baseAddress!,
                                        cache: cache.baseAddress! + first * gruCacheWidth * h)
                                    (o.baseAddress! + first * h).update(from: s.baseAddress!, count: rows * h)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return GRUTape(input: input, inputColumns: inputColumns, initial: initial, outputs: outputs, gates: gates, final: state)
}

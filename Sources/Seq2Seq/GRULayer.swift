import Tensor

extension GRUWeights {
    /// Input projections of many rows at once: `x · W_ih[:, columns]ᵀ + b_ih`.
    ///
    /// - Parameters:
    ///   - x: `N × columns.count` inputs.
    ///   - columns: the columns of `W_ih` that `x` multiplies (all of them unless the layer
    ///     also takes a context, whose columns are projected separately).
    /// - Returns: `N × 3H`.
    public func projectInputs(_ x: Matrix, columns: Range<Int>? = nil, addBias: Bool = true) -> Matrix {
        let cols = columns ?? 0..<weightIH.cols
        precondition(x.cols == cols.count, "input width \(x.cols) for \(cols.count) weight columns")
        var out = Matrix(rows: x.rows, cols: weightIH.rows)
        if addBias {
            for r in 0..<x.rows { out.setRow(r, biasIH.storage) }
        }
        guard x.rows > 0 else { return out }
        x.storage.withUnsafeBufferPointer { xp in
            weightIH.storage.withUnsafeBufferPointer { wp in
                out.storage.withUnsafeMutableBufferPointer { op in
                    BLAS.gemm(
                        transB: true, m: x.rows, n: weightIH.rows, k: cols.count, a: xp.baseAddress!, lda: x.cols,
                        b: wp.baseAddress! + cols.lowerBound, ldb: weightIH.cols, beta: addBias ? 1 : 0,
                        c: op.baseAddress!, ldc: weightIH.rows)
                }
            }
        }
        return out
    }

    /// Advances the first `rows` rows of `state` one step, given their input projections.
    ///
    /// - Parameters:
    ///   - gi: `rows × 3H` input projections (with `b_ih`), row stride `3H`.
    ///   - state: `≥ rows × H` hidden states; the first `rows` rows are updated.
    ///   - scratch: at least `rows × 3H` floats for the recurrent projections.
    ///   - cache: optional `rows × 4H` gate values for the backward pass.
    public func step(
        rows: Int, gi: UnsafePointer<Float>, state: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, cache: UnsafeMutablePointer<Float>? = nil
    ) {
        let h = hiddenSize
        weightHH.storage.withUnsafeBufferPointer { w in
            BLAS.gemm(
                transB: true, m: rows, n: 3 * h, k: h, a: state, lda: h, b: w.baseAddress!, ldb: h,
                c: scratch, ldc: 3 * h)
        }
        biasHH.storage.withUnsafeBufferPointer { b in
            gruCellForward(
                rows: rows, hidden: h, gi: gi, giStride: 3 * h, gh: scratch, biasHH: b.baseAddress!, h: state,
                cache: cache)
        }
    }

    /// Runs the layer over packed sequences.
    ///
    /// - Parameters:
    ///   - gi: `layout.totalRows × 3H` input projections (with `b_ih`), packed.
    ///   - layout: the packing of the batch.
    ///   - state: `B × H` initial states in sorted order; on return, each sequence's final state.
    ///   - cache: when given, `layout.totalRows × 4H` gate values for the backward pass.
    /// - Returns: `layout.totalRows × H` outputs (the state after each step), packed.
    @discardableResult
    public func run(
        gi: Matrix, layout: PackedLayout, state: inout Matrix, cache: UnsafeMutablePointer<Float>? = nil
    ) -> Matrix {
        let h = hiddenSize
        precondition(gi.rows == layout.totalRows && gi.cols == 3 * h && state.rows == layout.batch && state.cols == h)
        var outputs = Matrix(rows: layout.totalRows, cols: h)
        var scratch = [Float](repeating: 0, count: layout.batch * 3 * h)
        gi.storage.withUnsafeBufferPointer { g in
            state.storage.withUnsafeMutableBufferPointer { s in
                outputs.storage.withUnsafeMutableBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { tmp in
                        for t in 0..<layout.steps {
                            let rows = layout.batchSizes[t]
                            let first = layout.offsets[t]
                            step(
                                rows: rows, gi: g.baseAddress! + first * 3 * h, state: s.baseAddress!,
                                scratch: tmp.baseAddress!, cache: cache.map { $0 + first * gruCacheWidth * h })
                            (o.baseAddress! + first * h).update(from: s.baseAddress!, count: rows * h)
                        }
                    }
                }
            }
        }
        return outputs
    }
}

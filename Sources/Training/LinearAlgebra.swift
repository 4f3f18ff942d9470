import Tensor

/// `c[:, columns] += aᵀ · b`: the weight gradient of a linear map `y = x · Wᵀ` with
/// `a = dy` (`N × out`), `b = x` (`N × columns.count`) and `c` the `out × in` gradient.
func accumulateProduct(transposing a: Matrix, times b: Matrix, into c: inout Matrix, columns: Range<Int>) {
    precondition(a.rows == b.rows && b.cols == columns.count && c.rows == a.cols && columns.upperBound <= c.cols)
    guard a.rows > 0 else { return }
    a.storage.withUnsafeBufferPointer { ap in
        b.storage.withUnsafeBufferPointer { bp in
            let ldc = c.cols
            c.storage.withUnsafeMutableBufferPointer { cp in
                BLAS.gemm(
                    transA: true, m: a.cols, n: b.cols, k: a.rows, a: ap.baseAddress!, lda: a.cols, b: bp.baseAddress!,
                    ldb: b.cols, beta: 1, c: cp.baseAddress! + columns.lowerBound, ldc: ldc)
            }
        }
    }
}

/// `x · w[:, columns]ᵀ` (`transposed`; `x` is `N × columns.count`, the result `N × out`): a
/// linear map `y = x · Wᵀ` of an `out × in` weight; or `x · w[:, columns]` (`x` is
/// `N × out`, the result `N × columns.count`): that map's input gradient for `x = dy`.
func product(_ x: Matrix, _ w: Matrix, columns: Range<Int>, transposed: Bool) -> Matrix {
    precondition(x.cols == (transposed ? columns.count : w.rows) && columns.upperBound <= w.cols)
    let width = transposed ? w.rows : columns.count
    var out = Matrix(rows: x.rows, cols: width)
    guard x.rows > 0 else { return out }
    x.storage.withUnsafeBufferPointer { xp in
        w.storage.withUnsafeBufferPointer { wp in
            out.storage.withUnsafeMutableBufferPointer { op in
                BLAS.gemm(
                    transB: transposed, m: x.rows, n: width, k: x.cols, a: xp.baseAddress!, lda: x.cols,
                    b: wp.baseAddress! + columns.lowerBound, ldb: w.cols, c: op.baseAddress!, ldc: width)
            }
        }
    }
    return out
}

/// `bias += Σ_rows a`: the bias gradient of a linear map, for `a = dy` (`N × out`) and `bias` `1 × out`.
func accumulateColumnSums(of a: Matrix, into bias: inout Matrix) {
    precondition(bias.storage.count == a.cols)
    let n = a.cols
    a.storage.withUnsafeBufferPointer { ap in
        bias.storage.withUnsafeMutableBufferPointer { bp in
            for r in 0..<a.rows {
                let row = ap.baseAddress! + r * n
                for c in 0..<n { bp[c] += row[c] }
            }
        }
    }
}

/// `table[ids[i]] += rows[i]` for every row: the gradient of an embedding lookup.
func scatterAdd(_ rows: Matrix, ids: [Int], into table: inout Matrix) {
    precondition(rows.rows == ids.count && rows.cols == table.cols)
    let n = rows.cols
    rows.storage.withUnsafeBufferPointer { rp in
        table.storage.withUnsafeMutableBufferPointer { tp in
            for (i, id) in ids.enumerated() {
                BLAS.axpy(n: n, alpha: 1, x: rp.baseAddress! + i * n, y: tp.baseAddress! + id * n)
            }
        }
    }
}

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

/// `a · w[:, columns]`: the input gradient of `y = x · Wᵀ` for `a = dy` (`N × out`) and `w`
/// the `out × in` weight; `N × columns.count`.
func product(_ a: Matrix, _ w: Matrix, columns: Range<Int>) -> Matrix {
    precondition(a.cols == w.rows && columns.upperBound <= w.cols)
    var out = Matrix(rows: a.rows, cols: columns.count)
    guard a.rows > 0 else { return out }
    a.storage.withUnsafeBufferPointer { ap in
        w.storage.withUnsafeBufferPointer { wp in
            out.storage.withUnsafeMutableBufferPointer { op in
                BLAS.gemm(
                    m: a.rows, n: columns.count, k: a.cols, a: ap.baseAddress!, lda: a.cols,
                    b: wp.baseAddress! + columns.lowerBound, ldb: w.cols, c: op.baseAddress!, ldc: columns.count)
            }
        }
    }
    return out
}

/// `x · w[:, columns]ᵀ`, `N × out` for `x` `N × columns.count` and `w` `out × in`.
func product(_ x: Matrix, transposing w: Matrix, columns: Range<Int>) -> Matrix {
    precondition(x.cols == columns.count && columns.upperBound <= w.cols)
    var out = Matrix(rows: x.rows, cols: w.rows)
    guard x.rows > 0 else { return out }
    x.storage.withUnsafeBufferPointer { xp in
        w.storage.withUnsafeBufferPointer { wp in
            out.storage.withUnsafeMutableBufferPointer { op in
                BLAS.gemm(
                    transB: true, m: x.rows, n: w.rows, k: columns.count, a: xp.baseAddress!, lda: x.cols,
                    b: wp.baseAddress! + columns.lowerBound, ldb: w.cols, c: op.baseAddress!, ldc: w.rows)
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

import Tensor

/// The products of a dense layer `y = x · Wᵀ + b` and of its backward pass, over raw
/// row-major buffers (rows may be strided, to read or write columns of a wider matrix), all
/// through BLAS.
enum DenseKernels {
    /// `y = x · Wᵀ + b`.
    ///
    /// - Parameters:
    ///   - x: `rows × inputs`, leading dimension `ldx`.
    ///   - weight: `outputs × inputs`, contiguous (PyTorch's `nn.Linear` layout).
    ///   - bias: `outputs` values.
    ///   - y: receives `rows × outputs`, leading dimension `ldy`.
    static func forward(
        _ x: UnsafePointer<Float>, ldx: Int, rows: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, inputs: Int,
        outputs: Int, into y: UnsafeMutablePointer<Float>, ldy: Int
    ) {
        guard rows > 0 else { return }
        for r in 0..<rows { (y + r * ldy).update(from: bias, count: outputs) }
        BLAS.gemm(transB: true, m: rows, n: outputs, k: inputs, a: x, lda: ldx, b: weight, ldb: inputs, beta: 1, c: y, ldc: ldy)
    }

    /// `dW += dyᵀ · x` and `db += Σ_rows dy`: the parameter gradients of ``forward``.
    ///
    /// - Parameters:
    ///   - dy: `rows × outputs`, leading dimension `lddy`.
    ///   - x: the forward input, `rows × inputs`, leading dimension `ldx`.
    ///   - weightGradient: `outputs × inputs`, accumulated into.
    ///   - biasGradient: `outputs` values, accumulated into.
    static func accumulateParameterGradients(
        _ dy: UnsafePointer<Float>, lddy: Int, x: UnsafePointer<Float>, ldx: Int, rows: Int, inputs: Int, outputs: Int,
        weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>
    ) {
        guard rows > 0 else { return }
        BLAS.gemm(
            transA: true, m: outputs, n: inputs, k: rows, a: dy, lda: lddy, b: x, ldb: ldx, beta: 1, c: weightGradient, ldc: inputs)
        for r in 0..<rows {
            let row = dy + r * lddy
            for c in 0..<outputs { biasGradient[c] += row[c] }
        }
    }

    /// `dx = dy · W` (or `dx += dy · W` when `accumulate`): the input gradient of ``forward``.
    ///
    /// - Parameters:
    ///   - dy: `rows × outputs`, leading dimension `lddy`.
    ///   - dx: `rows × inputs`, leading dimension `lddx`.
    static func inputGradient(
        _ dy: UnsafePointer<Float>, lddy: Int, rows: Int, weight: UnsafePointer<Float>, inputs: Int, outputs: Int,
        into dx: UnsafeMutablePointer<Float>, lddx: Int, accumulate: Bool
    ) {
        guard rows > 0 else { return }
        BLAS.gemm(
            m: rows, n: inputs, k: outputs, a: dy, lda: lddy, b: weight, ldb: inputs, beta: accumulate ? 1 : 0, c: dx, ldc: lddx)
    }
}

extension DenseKernels {
    /// ``forward(_:ldx:rows:weight:bias:inputs:outputs:into:ldy:)`` of the layer `dense` of the
    /// parameters at `p`.
    static func forward(
        _ x: UnsafePointer<Float>, ldx: Int, rows: Int, dense: TransformerLayout.Dense, parameters p: UnsafePointer<Float>,
        into y: UnsafeMutablePointer<Float>, ldy: Int
    ) {
        forward(
            x, ldx: ldx, rows: rows, weight: p + dense.weight, bias: p + dense.bias, inputs: dense.inputs, outputs: dense.outputs,
            into: y, ldy: ldy)
    }

    /// The backward pass of the layer `dense`: its parameter gradients accumulated into the
    /// gradients at `g`, and the input gradient written into `dx` (added when `accumulate`).
    static func backward(
        _ dy: UnsafePointer<Float>, lddy: Int, x: UnsafePointer<Float>, ldx: Int, rows: Int, dense: TransformerLayout.Dense,
        parameters p: UnsafePointer<Float>, gradients g: UnsafeMutablePointer<Float>, into dx: UnsafeMutablePointer<Float>, lddx: Int,
        accumulate: Bool
    ) {
        accumulateParameterGradients(
            dy, lddy: lddy, x: x, ldx: ldx, rows: rows, inputs: dense.inputs, outputs: dense.outputs,
            weightGradient: g + dense.weight, biasGradient: g + dense.bias)
        inputGradient(
            dy, lddy: lddy, rows: rows, weight: p + dense.weight, inputs: dense.inputs, outputs: dense.outputs, into: dx, lddx: lddx,
            accumulate: accumulate)
    }

    /// `x · Wᵀ + b` of the layer `dense` for a contiguous `x` (`rows × inputs`): `rows × outputs`.
    static func apply(_ dense: TransformerLayout.Dense, to x: Matrix, parameters p: UnsafePointer<Float>) -> Matrix {
        var y = Matrix(rows: x.rows, cols: dense.outputs)
        x.storage.withUnsafeBufferPointer { xp in
            y.storage.withUnsafeMutableBufferPointer {
                forward(xp.baseAddress!, ldx: dense.inputs, rows: x.rows, dense: dense, parameters: p, into: $0.baseAddress!, ldy: dense.outputs)
            }
        }
        return y
    }

    /// The backward pass of ``apply(_:to:parameters:)``: from `dy` (`rows × outputs`) and the
    /// forward input `x`, the parameter gradients (accumulated into `g`) and the input's gradient.
    static func backward(
        _ dense: TransformerLayout.Dense, dy: Matrix, x: Matrix, parameters p: UnsafePointer<Float>, gradients g: UnsafeMutablePointer<Float>
    ) -> Matrix {
        var dx = Matrix(rows: x.rows, cols: dense.inputs)
        dy.storage.withUnsafeBufferPointer { dyp in
            x.storage.withUnsafeBufferPointer { xp in
                dx.storage.withUnsafeMutableBufferPointer {
                    backward(
                        dyp.baseAddress!, lddy: dense.outputs, x: xp.baseAddress!, ldx: dense.inputs, rows: x.rows, dense: dense,
                        parameters: p, gradients: g, into: $0.baseAddress!, lddx: dense.inputs, accumulate: false)
                }
            }
        }
        return dx
    }
}

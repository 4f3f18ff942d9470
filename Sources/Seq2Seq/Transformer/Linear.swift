import Tensor

/// A dense layer `y = x · Wᵀ + b`, its weight stored transposed (`in × out`), the layout
/// OpenBLAS multiplies fastest in both `sgemm` and the `sgemv` of single rows.
struct Linear: Sendable {
    /// `Wᵀ`, `in × out`.
    let weight: Matrix
    /// `b`, `out` values.
    let bias: [Float]

    /// The layer of a PyTorch `nn.Linear` weight (`out × in`) and bias (`out` values).
    init(weight: Matrix, bias: [Float]) {
        precondition(weight.rows == bias.count, "bias of \(bias.count) for \(weight.rows) outputs")
        self.weight = weight.transposed()
        self.bias = bias
    }

    /// Layers side by side: one product computes all their outputs, concatenated.
    init(concatenating layers: [Linear]) {
        let inputs = layers[0].inputs
        precondition(layers.allSatisfy { $0.inputs == inputs })
        let outputs = layers.reduce(0) { $0 + $1.outputs }
        var fused = Matrix(rows: inputs, cols: outputs)
        var column = 0
        for layer in layers {
            for r in 0..<inputs {
                for c in 0..<layer.outputs { fused[r, column + c] = layer.weight[r, c] }
            }
            column += layer.outputs
        }
        weight = fused
        bias = layers.flatMap(\.bias)
    }

    var inputs: Int { weight.rows }
    var outputs: Int { weight.cols }

    /// `y = x · Wᵀ + b` for `rows` rows of `x` (row stride `inputs`) into `y` (row stride `outputs`).
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        let n = outputs
        bias.withUnsafeBufferPointer { b in
            for r in 0..<rows { (y + r * n).update(from: b.baseAddress!, count: n) }
        }
        weight.storage.withUnsafeBufferPointer { w in
            BLAS.gemm(m: rows, n: n, k: inputs, a: x, lda: inputs, b: w.baseAddress!, ldb: n, beta: 1, c: y, ldc: n)
        }
    }

    /// `x · Wᵀ + b` for a matrix `x` (`rows × inputs`): `rows × outputs`.
    func callAsFunction(_ x: Matrix) -> Matrix {
        precondition(x.cols == inputs, "input width \(x.cols) for a layer of \(inputs) inputs")
        var y = Matrix(rows: x.rows, cols: outputs)
        x.storage.withUnsafeBufferPointer { xp in
            y.storage.withUnsafeMutableBufferPointer { apply(xp.baseAddress!, rows: x.rows, into: $0.baseAddress!) }
        }
        return y
    }
}

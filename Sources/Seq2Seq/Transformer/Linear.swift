import Tensor

/// A dense layer `y = x · Wᵀ + b` over weights packed for oneDNN (``PackedWeights``).
struct Linear: Sendable {
    /// A PyTorch `nn.Linear`'s parameters as stored: weight `out × in`, bias `out` values.
    struct Parameters {
        var weight: Matrix
        var bias: [Float]
    }

    let packed: PackedWeights

    /// The layer of `parts` side by side: one product computes all their outputs, concatenated
    /// in order (the query, key and value projections of attention, say).
    init(_ parts: Parameters..., computeType: ComputeType) {
        let inputs = parts[0].weight.cols
        precondition(parts.allSatisfy { $0.weight.cols == inputs && $0.weight.rows == $0.bias.count })
        let stacked = Matrix(rows: parts.reduce(0) { $0 + $1.weight.rows }, cols: inputs, storage: parts.flatMap(\.weight.storage))
        packed = PackedWeights(stacked.transposed(), bias: parts.flatMap(\.bias), computeType: computeType)
    }

    var inputs: Int { packed.inputs }
    var outputs: Int { packed.outputs }

    /// `x · Wᵀ + b` for a matrix `x` (`rows × inputs`): `rows × outputs`.
    func callAsFunction(_ x: Matrix) -> Matrix {
        precondition(x.cols == inputs, "input width \(x.cols) for a layer of \(inputs) inputs")
        var y = Matrix(rows: x.rows, cols: outputs)
        x.storage.withUnsafeBufferPointer { xp in
            y.storage.withUnsafeMutableBufferPointer { packed.apply(xp.baseAddress!, rows: x.rows, into: $0.baseAddress!) }
        }
        return y
    }
}

import Tensor

/// `torch.nn.LayerNorm(d)` with `eps = 1e-5`: each row normalised, then scaled and shifted.
struct LayerNorm: Sendable {
    /// `gamma`, `d` values.
    let weight: [Float]
    /// `beta`, `d` values.
    let bias: [Float]

    /// Normalises every row of `x` (`rows × d`) in place.
    func apply(_ x: inout Matrix) {
        precondition(x.cols == weight.count)
        let (rows, cols) = (x.rows, x.cols)
        weight.withUnsafeBufferPointer { g in
            bias.withUnsafeBufferPointer { b in
                x.storage.withUnsafeMutableBufferPointer {
                    VectorKernels.layerNorm($0.baseAddress!, rows: rows, cols: cols, gamma: g.baseAddress!, beta: b.baseAddress!)
                }
            }
        }
    }
}

import Tensor

/// A Transformer layer's position-wise feed-forward block: `fc2(act(fc1(x)))`.
struct FeedForward: Sendable {
    /// `d → ffn`.
    let fc1: Linear
    /// `ffn → d`.
    let fc2: Linear
    let activation: Activation

    /// `fc2(act(fc1(x)))` for `x` (`rows × d`): `rows × d`.
    func callAsFunction(_ x: Matrix) -> Matrix {
        var hidden = fc1(x)
        let count = hidden.storage.count
        hidden.storage.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, count: count) }
        return fc2(hidden)
    }
}

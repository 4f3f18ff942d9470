import Tensor

/// A Transformer layer's position-wise feed-forward block: `fc2(act(fc1(x)))`.
struct FeedForward: Sendable {
    /// `d → ffn`.
    let fc1: Linear
    /// `ffn → d`.
    let fc2: Linear
    let activation: Activation

    /// Loads `prefix.fc1` (`d → hidden`) and `prefix.fc2` (`hidden → d`).
    init(_ prefix: String, width d: Int, hidden: Int, activation: Activation, tensors: inout CheckpointTensors) throws(ModelDirectoryError) {
        fc1 = try tensors.dense("\(prefix).fc1", inputs: d, outputs: hidden)
        fc2 = try tensors.dense("\(prefix).fc2", inputs: hidden, outputs: d)
        self.activation = activation
    }

    /// `fc2(act(fc1(x)))` for `x` (`rows × d`): `rows × d`.
    func callAsFunction(_ x: Matrix) -> Matrix {
        var hidden = fc1(x)
        let count = hidden.storage.count
        hidden.storage.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, count: count) }
        return fc2(hidden)
    }
}

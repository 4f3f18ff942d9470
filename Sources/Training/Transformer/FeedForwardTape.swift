import Seq2Seq
import Tensor

/// A position-wise feed-forward sublayer, `fc2(act(fc1(x)))`, with what its backward pass needs.
struct FeedForwardTape {
    /// The input, `rows × d`.
    let input: Matrix
    /// `fc1(x)`, `rows × ffn`.
    let preActivation: Matrix
    /// `act(fc1(x))`, `rows × ffn`.
    let hidden: Matrix
    let activation: Activation

    /// The sublayer's output, `rows × d`.
    static func forward(
        _ x: Matrix, fc1: TransformerLayout.Dense, fc2: TransformerLayout.Dense, activation: Activation, parameters p: UnsafePointer<Float>
    ) -> (tape: FeedForwardTape, output: Matrix) {
        let pre = DenseKernels.apply(fc1, to: x, parameters: p)
        var hidden = Matrix(rows: x.rows, cols: fc1.outputs)
        pre.storage.withUnsafeBufferPointer { pp in
            hidden.storage.withUnsafeMutableBufferPointer { activation.forward(pp.baseAddress!, into: $0.baseAddress!, count: pp.count) }
        }
        let output = DenseKernels.apply(fc2, to: hidden, parameters: p)
        return (FeedForwardTape(input: x, preActivation: pre, hidden: hidden, activation: activation), output)
    }

    /// The input's gradient from the output's, `dOutput` (`rows × d`); parameter gradients
    /// are accumulated into `g`.
    func backward(
        _ dOutput: Matrix, fc1: TransformerLayout.Dense, fc2: TransformerLayout.Dense, parameters p: UnsafePointer<Float>,
        gradients g: UnsafeMutablePointer<Float>
    ) -> Matrix {
        var dHidden = DenseKernels.backward(fc2, dy: dOutput, x: hidden, parameters: p, gradients: g)
        dHidden.storage.withUnsafeMutableBufferPointer { dhp in
            preActivation.storage.withUnsafeBufferPointer { activation.backward(dhp.baseAddress!, at: $0.baseAddress!, count: $0.count) }
        }
        return DenseKernels.backward(fc1, dy: dHidden, x: input, parameters: p, gradients: g)
    }
}

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
        let rows = x.rows
        var pre = Matrix(rows: rows, cols: fc1.outputs)
        var hidden = Matrix(rows: rows, cols: fc1.outputs)
        var output = Matrix(rows: rows, cols: fc2.outputs)
        x.storage.withUnsafeBufferPointer { xp in
            pre.storage.withUnsafeMutableBufferPointer { pp in
                DenseKernels.forward(
                    xp.baseAddress!, ldx: fc1.inputs, rows: rows, weight: p + fc1.weight, bias: p + fc1.bias, inputs: fc1.inputs,
                    outputs: fc1.outputs, into: pp.baseAddress!, ldy: fc1.outputs)
                hidden.storage.withUnsafeMutableBufferPointer { hp in
                    activation.forward(pp.baseAddress!, into: hp.baseAddress!, count: pp.count)
                    output.storage.withUnsafeMutableBufferPointer {
                        DenseKernels.forward(
                            hp.baseAddress!, ldx: fc2.inputs, rows: rows, weight: p + fc2.weight, bias: p + fc2.bias,
                            inputs: fc2.inputs, outputs: fc2.outputs, into: $0.baseAddress!, ldy: fc2.outputs)
                    }
                }
            }
        }
        return (FeedForwardTape(input: x, preActivation: pre, hidden: hidden, activation: activation), output)
    }

    /// The input's gradient from the output's, `dOutput` (`rows × d`); parameter gradients
    /// are accumulated into `g`.
    func backward(
        _ dOutput: Matrix, fc1: TransformerLayout.Dense, fc2: TransformerLayout.Dense, parameters p: UnsafePointer<Float>,
        gradients g: UnsafeMutablePointer<Float>
    ) -> Matrix {
        let rows = input.rows
        var dHidden = Matrix(rows: rows, cols: fc1.outputs)
        var dInput = Matrix(rows: rows, cols: fc1.inputs)
        dOutput.storage.withUnsafeBufferPointer { dop in
            hidden.storage.withUnsafeBufferPointer { hp in
                DenseKernels.accumulateParameterGradients(
                    dop.baseAddress!, lddy: fc2.outputs, x: hp.baseAddress!, ldx: fc2.inputs, rows: rows, inputs: fc2.inputs,
                    outputs: fc2.outputs, weightGradient: g + fc2.weight, biasGradient: g + fc2.bias)
            }
            dHidden.storage.withUnsafeMutableBufferPointer {
                DenseKernels.inputGradient(
                    dop.baseAddress!, lddy: fc2.outputs, rows: rows, weight: p + fc2.weight, inputs: fc2.inputs, outputs: fc2.outputs,
                    into: $0.baseAddress!, lddx: fc2.inputs, accumulate: false)
            }
        }
        dHidden.storage.withUnsafeMutableBufferPointer { dhp in
            preActivation.storage.withUnsafeBufferPointer { activation.backward(dhp.baseAddress!, at: $0.baseAddress!, count: $0.count) }
        }
        dHidden.storage.withUnsafeBufferPointer { dhp in
            input.storage.withUnsafeBufferPointer { xp in
                DenseKernels.accumulateParameterGradients(
                    dhp.baseAddress!, lddy: fc1.outputs, x: xp.baseAddress!, ldx: fc1.inputs, rows: rows, inputs: fc1.inputs,
                    outputs: fc1.outputs, weightGradient: g + fc1.weight, biasGradient: g + fc1.bias)
            }
            dInput.storage.withUnsafeMutableBufferPointer {
                DenseKernels.inputGradient(
                    dhp.baseAddress!, lddy: fc1.outputs, rows: rows, weight: p + fc1.weight, inputs: fc1.inputs, outputs: fc1.outputs,
                    into: $0.baseAddress!, lddx: fc1.inputs, accumulate: false)
            }
        }
        return dInput
    }
}

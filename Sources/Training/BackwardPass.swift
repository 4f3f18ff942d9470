import Seq2Seq
import Tensor

extension Seq2SeqWeights {
    /// Weights of the same shapes, all zero.
    func zeros() -> Seq2SeqWeights {
        var z = self
        for parameter in parameters {
            let m = z[keyPath: parameter.path]
            z[keyPath: parameter.path] = Matrix(rows: m.rows, cols: m.cols)
        }
        return z
    }
}

extension ForwardPass {
    /// Back-propagation through the whole model: the gradient of ``loss`` with respect to
    /// every parameter, in the layout of ``weights``.
    ///
    /// The decoder runs backwards first; the gradients of its initial states and of the
    /// context flow into the encoder's final states, and from there back through the encoder.
    public func gradients() -> Seq2SeqWeights {
        var grads = weights.zeros()
        let layers = weights.encoderLayers.count
        let e = weights.encoderEmbedding.cols
        let h = weights.encoderLayers[0].hiddenSize
        let batch = decoderLayout.batch

        // Dense layer.
        let dLogits = crossEntropy.gradient(logits: logits, labels: labels)
        let top = decoderTapes[layers - 1].outputs
        accumulateProduct(transposing: dLogits, times: top, into: &grads.denseWeight, columns: 0..<h)
        accumulateColumnSums(of: dLogits, into: &grads.denseBias)
        var dOutputs = product(dLogits, weights.denseWeight, columns: 0..<h, transposed: false)

        // Decoder, top to bottom.
        var dInitial = [Matrix](repeating: Matrix(rows: 0, cols: 0), count: layers)
        var dContextGI = Matrix(rows: batch, cols: 3 * h)
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let back = backwardGRU(
                weights.decoderLayers[l], tape: decoderTapes[l], layout: decoderLayout, outputGradients: dOutputs,
                finalGradients: Matrix(rows: batch, cols: h), grads: &grads.decoderLayers[l])
            dInitial[l] = back.initial
            if l > 0 {
                dOutputs = decoderMasks.isEmpty ? back.input : decoderMasks[l - 1].apply(back.input)
            } else {
                scatterAdd(back.input, ids: decoderIDs, into: &grads.decoderEmbedding)
                // The context's projection was added to every step of its sequence.
                dContextGI = sumPerSequence(back.inputProjections, layout: decoderLayout)
            }
        }
        accumulateProduct(transposing: dContextGI, times: context, into: &grads.decoderLayers[0].weightIH, columns: e..<(e + h))
        let dContext = product(dContextGI, weights.decoderLayers[0].weightIH, columns: e..<(e + h), transposed: false)

        // Encoder, top to bottom, from the gradients of its final states.
        var dOutputsBelow: Matrix?
        for l in stride(from: layers - 1, through: 0, by: -1) {
            var dFinal = Matrix(rows: batch, cols: h)
            for (j, row) in encoderRow.enumerated() {
                var g = dInitial[l].row(j)
                if l == layers - 1 { for i in 0..<h { g[i] += dContext[j, i] } }
                dFinal.setRow(row, g)
            }
            let back = backwardGRU(
                weights.encoderLayers[l], tape: encoderTapes[l], layout: encoderLayout, outputGradients: dOutputsBelow,
                finalGradients: dFinal, grads: &grads.encoderLayers[l])
            if l > 0 {
                dOutputsBelow = encoderMasks.isEmpty ? back.input : encoderMasks[l - 1].apply(back.input)
            } else {
                scatterAdd(back.input, ids: sourceIDs, into: &grads.encoderEmbedding)
            }
        }
        return grads
    }
}

/// Sums each sequence's rows of packed `x` (`N × C`): `B × C` in sorted order.
func sumPerSequence(_ x: Matrix, layout: PackedLayout) -> Matrix {
    var sums = Matrix(rows: layout.batch, cols: x.cols)
    x.storage.withUnsafeBufferPointer { xp in
        sums.storage.withUnsafeMutableBufferPointer { sp in
            for t in 0..<layout.steps {
                for j in 0..<layout.batchSizes[t] {
                    BLAS.axpy(n: x.cols, alpha: 1, x: xp.baseAddress! + layout.row(step: t, sorted: j) * x.cols, y: sp.baseAddress! + j * x.cols)
                }
            }
        }
    }
    return sums
}

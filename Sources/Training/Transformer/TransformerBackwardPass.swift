import Seq2Seq
import Tensor

extension TransformerForwardPass {
    /// Back-propagation through the whole model: the gradient of ``loss`` with respect to
    /// every parameter, in the layout of ``parameters``.
    ///
    /// The output layer's gradient and the decoder input embeddings' both go to the (tied)
    /// target embedding; with shared embeddings the source embeddings' too. The `<pad>`
    /// rows' gradients are zero, so the rows stay zero (as OPUS-MT's models keep them).
    ///
    /// - Parameter scale: a factor of the loss (a shard's share of a larger batch's tokens).
    public func gradients(scale: Float = 1) -> TransformerParameters {
        let layout = parameters.layout
        let (d, v) = (layout.width, layout.config.targetVocabSize)
        var grads = TransformerParameters(zerosFor: layout)
        var dLogits = logits
        crossEntropy.gradient(replacing: &dLogits, labels: labels, scale: scale)
        parameters.values.withUnsafeBufferPointer { pp in
            grads.values.withUnsafeMutableBufferPointer { gp in
                let (p, g) = (pp.baseAddress!, gp.baseAddress!)
                // Output layer: logits = y · Eᵀ + bias.
                var dy = Matrix(rows: labels.count, cols: d)
                dLogits.storage.withUnsafeBufferPointer { dlp in
                    decoderOutput.storage.withUnsafeBufferPointer { yp in
                        DenseKernels.accumulateParameterGradients(
                            dlp.baseAddress!, lddy: v, x: yp.baseAddress!, ldx: d, rows: labels.count, inputs: d, outputs: v,
                            weightGradient: g + layout.targetEmbedding, biasGradient: g + layout.finalLogitsBias)
                    }
                    dy.storage.withUnsafeMutableBufferPointer {
                        DenseKernels.inputGradient(
                            dlp.baseAddress!, lddy: v, rows: labels.count, weight: p + layout.targetEmbedding, inputs: d, outputs: v,
                            into: $0.baseAddress!, lddx: d, accumulate: false)
                    }
                }
                // Decoder, top to bottom; every layer adds to the encoder output's gradient.
                var dEncoderOutput = Matrix(rows: encoderOutput.rows, cols: d)
                for (tape, layer) in zip(decoderTapes, layout.decoder).reversed() {
                    dy = tape.backward(
                        dy, encoderOutput: encoderOutput, dEncoderOutput: &dEncoderOutput, layer: layer, parameters: p, gradients: g)
                }
                scatterEmbeddingGradient(dy, mask: targetEmbeddingMask, ids: decoderIDs, into: g + layout.targetEmbedding)
                // Encoder, top to bottom.
                var dx = dEncoderOutput
                for (tape, layer) in zip(encoderTapes, layout.encoder).reversed() {
                    dx = tape.backward(dx, layer: layer, parameters: p, gradients: g)
                }
                scatterEmbeddingGradient(dx, mask: sourceEmbeddingMask, ids: sourceIDs, into: g + layout.sourceEmbedding)
            }
        }
        grads.zeroPadRows()
        return grads
    }

    /// `table[ids[r]] += scale · mask(dx)[r]`: the gradient of the scaled, dropped-out embedding lookup.
    private func scatterEmbeddingGradient(_ dx: Matrix, mask: DropoutMask?, ids: [Int], into table: UnsafeMutablePointer<Float>) {
        let rows = mask.map { $0.apply(dx) } ?? dx
        let d = dx.cols
        let scale = parameters.layout.embeddingScale
        rows.storage.withUnsafeBufferPointer { rp in
            for (r, id) in ids.enumerated() {
                BLAS.axpy(n: d, alpha: scale, x: rp.baseAddress! + r * d, y: table + id * d)
            }
        }
    }
}

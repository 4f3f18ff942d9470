import Tensor

/// The running state of a batch of step-by-step decodes: one row per hypothesis.
///
/// Rows can be dropped (finished sentences) or duplicated (beam hypotheses sharing a parent)
/// with ``selectRows(_:)``; every per-row quantity moves together.
public struct GRUDecoderState: DecodingState {
    /// Hidden states, one `rows × H` matrix per layer.
    public var hidden: [Matrix]
    /// Each row's context projection for the first decoder layer (with `b_ih_l0`), `rows × 3H`.
    public var contextGI: Matrix

    /// Number of rows.
    public var rows: Int { contextGI.rows }

    /// Keeps the rows at `indices`, in that order (an index may repeat).
    public mutating func selectRows(_ indices: [Int]) {
        hidden = hidden.map { $0.gatherRows(indices) }
        contextGI = contextGI.gatherRows(indices)
    }
}

extension GRUModel: TranslationModel {
    public func startDecoding(_ sources: [[Int]]) -> GRUDecoderState {
        let encoded = encode(sources)
        return GRUDecoderState(hidden: encoded, contextGI: contextProjection(encoded[encoded.count - 1]))
    }

    public func step(tokens: [Int], state: inout GRUDecoderState, logits: UnsafeMutablePointer<Float>) {
        let rows = state.rows
        precondition(tokens.count == rows)
        guard rows > 0 else { return }
        let (e, h) = (embedSize, hiddenSize)
        var gi = state.contextGI
        var scratch = [Float](repeating: 0, count: rows * 3 * h)
        let embedded = decoderEmbedding.gatherRows(tokens)
        // Layer 0: the embedding's share of the input projection; the context's is in contextGI.
        if decoderLayers[0].packed != nil {
            gi.add(decoderLayers[0].projectInputs(embedded, inputs: 0..<e, addBias: false))
        } else {
            addEmbeddingProjection(embedded, to: &gi)
        }
        for (l, layer) in decoderLayers.enumerated() {
            if l > 0 { gi = layer.projectInputs(state.hidden[l - 1]) }
            gi.storage.withUnsafeBufferPointer { g in
                state.hidden[l].storage.withUnsafeMutableBufferPointer { s in
                    scratch.withUnsafeMutableBufferPointer { tmp in
                        layer.step(rows: rows, gi: g.baseAddress!, state: s.baseAddress!, scratch: tmp.baseAddress!)
                    }
                }
            }
        }
        project(state.hidden[state.hidden.count - 1], into: logits)
    }

    /// Adds the embedding's share of decoder layer 0's input projection, `x · W_ih[:, 0..<E]ᵀ`
    /// (`rows × 3H` for `embedded` `rows × E`), to `gi` in one float32 product.
    private func addEmbeddingProjection(_ embedded: Matrix, to gi: inout Matrix) {
        let (rows, e, h) = (embedded.rows, embedSize, hiddenSize)
        embedded.storage.withUnsafeBufferPointer { x in
            decoderLayers[0].inputWeights.storage.withUnsafeBufferPointer { w in
                gi.storage.withUnsafeMutableBufferPointer { g in
                    BLAS.gemm(
                        m: rows, n: 3 * h, k: e, a: x.baseAddress!, lda: e, b: w.baseAddress!, ldb: 3 * h, beta: 1,
                        c: g.baseAddress!, ldc: 3 * h)
                }
            }
        }
    }
}

import Seq2Seq
import Tensor

/// The training-time forward pass of a mini-batch, with every activation the backward pass
/// needs: embeddings, each GRU layer's inputs, states and gates, the dropout masks and the
/// logits. Sequences run packed (no padding steps) as in ``GRUModel``, which computes
/// the same logits without dropout.
public struct ForwardPass {
    /// The weights the pass ran with.
    public let weights: Seq2SeqWeights
    /// Packing of the sources.
    let encoderLayout: PackedLayout
    /// Packing of the decoder inputs and labels (its own length order).
    let decoderLayout: PackedLayout
    /// Source ids, packed.
    let sourceIDs: [Int]
    /// Decoder input ids, packed.
    let decoderIDs: [Int]
    /// Label ids, packed like the decoder inputs.
    let labels: [Int]
    /// Encoder layers' tapes, bottom to top.
    let encoderTapes: [GRUTape]
    /// Decoder layers' tapes, bottom to top.
    let decoderTapes: [GRUTape]
    /// Dropout masks on the inputs of encoder layers 1…L−1 (empty without dropout).
    let encoderMasks: [DropoutMask]
    /// Dropout masks on the inputs of decoder layers 1…L−1 (empty without dropout).
    let decoderMasks: [DropoutMask]
    /// For each decoder-sorted sequence, its row in the encoder's sorted order.
    let encoderRow: [Int]
    /// The context (the encoder's top final state), `B × H` in decoder order.
    let context: Matrix
    /// Logits of every label position, `N × tgtVocab`, packed.
    public let logits: Matrix
    /// The loss and what its gradient needs.
    let crossEntropy: CrossEntropy

    /// Mean cross-entropy over the batch's label tokens, in nats.
    public var loss: Double { crossEntropy.loss }
    /// Number of label tokens.
    public var tokenCount: Int { labels.count }

    /// Runs `batch` through the model.
    ///
    /// - Parameters:
    ///   - dropout: probability of zeroing each input of GRU layers above the first (training
    ///     only; 0 for evaluation).
    ///   - rng: draws the dropout masks.
    public init(weights: Seq2SeqWeights, batch: [Example], dropout: Float, rng: inout SeededGenerator) {
        precondition(!batch.isEmpty)
        self.weights = weights
        let layers = weights.encoderLayers.count
        let e = weights.encoderEmbedding.cols
        let h = weights.encoderLayers[0].hiddenSize
        func dropped(_ x: Matrix, masks: inout [DropoutMask]) -> Matrix {
            guard dropout > 0 else { return x }
            let mask = DropoutMask(rows: x.rows, cols: x.cols, probability: dropout, using: &rng)
            masks.append(mask)
            return mask.apply(x)
        }

        // Encoder.
        encoderLayout = PackedLayout(lengths: batch.map(\.source.count))
        sourceIDs = encoderLayout.pack(batch.map(\.source))
        var encoderTapes: [GRUTape] = []
        var encoderMasks: [DropoutMask] = []
        var x = weights.encoderEmbedding.gatherRows(sourceIDs)
        for (l, layer) in weights.encoderLayers.enumerated() {
            if l > 0 { x = dropped(encoderTapes[l - 1].outputs, masks: &encoderMasks) }
            encoderTapes.append(
                forwardGRU(
                    layer, input: x, inputColumns: 0..<x.cols, sequenceGI: nil, layout: encoderLayout,
                    initial: Matrix(rows: batch.count, cols: h)))
        }

        // Decoder, started from the encoder's final states, with the top one as the context.
        decoderLayout = PackedLayout(lengths: batch.map(\.labels.count))
        decoderIDs = decoderLayout.pack(batch.map(\.decoderInput))
        labels = decoderLayout.pack(batch.map(\.labels))
        var encoderRank = [Int](repeating: 0, count: batch.count)
        for (j, b) in encoderLayout.order.enumerated() { encoderRank[b] = j }
        encoderRow = decoderLayout.order.map { encoderRank[$0] }
        context = encoderTapes[layers - 1].final.gatherRows(encoderRow)
        let contextGI = product(context, weights.decoderLayers[0].weightIH, columns: e..<(e + h), transposed: true)
        var decoderTapes: [GRUTape] = []
        var decoderMasks: [DropoutMask] = []
        x = weights.decoderEmbedding.gatherRows(decoderIDs)
        for (l, layer) in weights.decoderLayers.enumerated() {
            if l > 0 { x = dropped(decoderTapes[l - 1].outputs, masks: &decoderMasks) }
            decoderTapes.append(
                forwardGRU(
                    layer, input: x, inputColumns: 0..<x.cols, sequenceGI: l == 0 ? contextGI : nil, layout: decoderLayout,
                    initial: encoderTapes[l].final.gatherRows(encoderRow)))
        }
        var logits = product(decoderTapes[layers - 1].outputs, weights.denseWeight, columns: 0..<h, transposed: true)
        logits.addRowVector(weights.denseBias.storage)
        self.encoderTapes = encoderTapes
        self.decoderTapes = decoderTapes
        self.encoderMasks = encoderMasks
        self.decoderMasks = decoderMasks
        self.logits = logits
        crossEntropy = CrossEntropy(logits: logits, labels: labels)
    }

    /// The logits of each example of the batch, `labels.count × tgtVocab`, in batch order.
    public func logitsPerExample() -> [Matrix] {
        var result = [Matrix](repeating: Matrix(rows: 0, cols: 0), count: decoderLayout.batch)
        for (j, b) in decoderLayout.order.enumerated() {
            result[b] = logits.gatherRows((0..<decoderLayout.sortedLengths[j]).map { decoderLayout.row(step: $0, sorted: j) })
        }
        return result
    }
}

import Tensor
import Text

/// The d2l.ai GRU encoder-decoder with a fixed context, ready for inference.
///
/// The encoder embeds the source ids (tokens then `<eos>`) and runs them through a stack of
/// GRU layers. Its final states (one per layer) initialise the decoder, and the final state of
/// its top layer is the context `c`, concatenated to the decoder's input embedding at every
/// step and never replaced. The decoder's top-layer output goes through a dense layer to give
/// logits over the target vocabulary.
///
/// A model is immutable and may be shared between threads.
public final class Seq2SeqModel: Sendable {
    /// Hyper-parameters.
    public let config: ModelConfig
    /// All parameters.
    public let weights: Seq2SeqWeights
    /// Source vocabulary.
    public let sourceVocabulary: Vocabulary
    /// Target vocabulary.
    public let targetVocabulary: Vocabulary

    /// A model over `weights`, whose shapes must match `config` and the vocabularies.
    public init(config: ModelConfig, weights: Seq2SeqWeights, sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary) {
        precondition(sourceVocabulary.count == config.srcVocabSize && targetVocabulary.count == config.tgtVocabSize)
        precondition(weights.encoderEmbedding.rows == config.srcVocabSize && weights.denseWeight.rows == config.tgtVocabSize)
        self.config = config
        self.weights = weights
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
    }

    /// Hidden width `H`.
    public var hiddenSize: Int { config.numHiddens }
    /// Embedding width `E`.
    public var embedSize: Int { config.embedSize }

    /// Source ids of a token list: the tokens' ids (unknown ones `<unk>`) followed by `<eos>`.
    public func sourceIDs(_ tokens: [String]) -> [Int] {
        sourceVocabulary.ids(of: tokens) + [sourceVocabulary.eos]
    }

    /// Runs the encoder over a batch of id sequences, each of length at least 1.
    ///
    /// - Returns: the final states, one `B × H` matrix per layer, rows in batch order.
    public func encode(_ sources: [[Int]]) -> [Matrix] {
        let layout = PackedLayout(lengths: sources.map(\.count))
        var input = weights.encoderEmbedding.gatherRows(layout.pack(sources))
        var finals: [Matrix] = []
        for (l, layer) in weights.encoderLayers.enumerated() {
            var state = Matrix(rows: layout.batch, cols: hiddenSize)
            let outputs = layer.run(gi: layer.projectInputs(input), layout: layout, state: &state)
            finals.append(state)
            if l + 1 < weights.encoderLayers.count { input = outputs }
        }
        // Back from sorted order to batch order.
        var inverse = [Int](repeating: 0, count: layout.batch)
        for (j, b) in layout.order.enumerated() { inverse[b] = j }
        return finals.map { $0.gatherRows(inverse) }
    }

    /// The context's share of the decoder's first-layer input projections, constant over
    /// the decode: `c · W_ih_l0[:, E...]ᵀ + b_ih_l0`, `B × 3H` for contexts `c` (`B × H`).
    public func contextProjection(_ context: Matrix) -> Matrix {
        weights.decoderLayers[0].projectInputs(context, columns: embedSize..<(embedSize + hiddenSize))
    }

    /// Decoder logits under teacher forcing, computed a whole sequence at a time.
    ///
    /// - Parameters:
    ///   - sources: source id sequences (tokens + `<eos>`).
    ///   - targetInputs: decoder inputs (`<bos>` + target ids), each of length at least 1.
    /// - Returns: per sentence, a `steps × tgtVocab` matrix of logits.
    public func teacherForcedLogits(sources: [[Int]], targetInputs: [[Int]]) -> [Matrix] {
        let encoded = encode(sources)
        let layout = PackedLayout(lengths: targetInputs.map(\.count))
        let contextGI = contextProjection(encoded[encoded.count - 1]).gatherRows(layout.order)
        let e = embedSize
        var input = weights.decoderEmbedding.gatherRows(layout.pack(targetInputs))
        for (l, layer) in weights.decoderLayers.enumerated() {
            var gi: Matrix
            if l == 0 {
                gi = layer.projectInputs(input, columns: 0..<e, addBias: false)
                for t in 0..<layout.steps {
                    for j in 0..<layout.batchSizes[t] {
                        let r = layout.row(step: t, sorted: j)
                        for c in 0..<gi.cols { gi[r, c] += contextGI[j, c] }
                    }
                }
            } else {
                gi = layer.projectInputs(input)
            }
            var state = encoded[l].gatherRows(layout.order)
            input = layer.run(gi: gi, layout: layout, state: &state)
        }
        var logits = Matrix(rows: layout.totalRows, cols: config.tgtVocabSize)
        for r in 0..<logits.rows { logits.setRow(r, weights.denseBias.storage) }
        logits.assign(x: input, timesTransposed: weights.denseWeight, beta: 1)
        var perSentence = [Matrix](repeating: Matrix(rows: 0, cols: 0), count: layout.batch)
        for (j, b) in layout.order.enumerated() {
            let rows = (0..<layout.sortedLengths[j]).map { layout.row(step: $0, sorted: j) }
            perSentence[b] = logits.gatherRows(rows)
        }
        return perSentence
    }
}

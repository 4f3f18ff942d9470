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
public final class GRUModel: Sendable {
    /// Hyper-parameters.
    public let config: ModelConfig
    /// Source embedding, `srcVocab × E`.
    let encoderEmbedding: EmbeddingTable
    /// Encoder layers.
    let encoderLayers: [GRULayer]
    /// Target embedding, `tgtVocab × E`.
    let decoderEmbedding: EmbeddingTable
    /// Decoder layers; layer 0's inputs are `[embedding ; context]`.
    let decoderLayers: [GRULayer]
    /// Output projection transposed, `H × tgtVocab`.
    let denseWeights: Matrix
    /// Output bias, `tgtVocab` values.
    let denseBias: [Float]
    /// Source vocabulary.
    public let sourceVocabulary: Vocabulary
    /// Target vocabulary.
    public let targetVocabulary: Vocabulary

    /// The output layer packed in a compute type other than float32 (`nil`: OpenBLAS in float32).
    let packedDense: PackedWeights?

    /// A model over `weights`, whose shapes must match `config` and the vocabularies, with the
    /// input, recurrent and output products in `computeType` (the gates stay float32).
    public init(
        config: ModelConfig, weights: Seq2SeqWeights, sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary,
        computeType: ComputeType = .float32
    ) {
        precondition(sourceVocabulary.count == config.srcVocabSize && targetVocabulary.count == config.tgtVocabSize)
        precondition(weights.encoderEmbedding.rows == config.srcVocabSize && weights.denseWeight.rows == config.tgtVocabSize)
        self.config = config
        encoderEmbedding = EmbeddingTable(weights.encoderEmbedding, computeType: computeType)
        encoderLayers = weights.encoderLayers.map { GRULayer($0, computeType: computeType) }
        decoderEmbedding = EmbeddingTable(weights.decoderEmbedding, computeType: computeType)
        decoderLayers = weights.decoderLayers.enumerated().map { l, layer in
            GRULayer(layer, computeType: computeType, contextStart: l == 0 ? config.embedSize : nil)
        }
        let dense = weights.denseWeight.transposed()
        denseBias = weights.denseBias.storage
        packedDense = computeType == .float32 ? nil : PackedWeights(dense, bias: denseBias, computeType: computeType)
        // A converted model keeps only the packed copy.
        denseWeights = packedDense == nil ? dense : Matrix(rows: 0, cols: 0)
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
    }

    /// All parameters, in PyTorch's layout.
    public var weights: Seq2SeqWeights {
        var w = Seq2SeqWeights(zerosFor: config)
        w.encoderEmbedding = encoderEmbedding.matrix!
        w.encoderLayers = encoderLayers.map(\.weights)
        w.decoderEmbedding = decoderEmbedding.matrix!
        w.decoderLayers = decoderLayers.map(\.weights)
        precondition(packedDense == nil, "a model converted to another compute type keeps no float32 weights")
        w.denseWeight = denseWeights.transposed()
        w.denseBias.storage = denseBias
        return w
    }

    /// Hidden width `H`.
    public var hiddenSize: Int { config.numHiddens }
    /// Embedding width `E`.
    public var embedSize: Int { config.embedSize }

    /// Source ids of a token list: the tokens' ids (unknown ones `<unk>`) followed by `<eos>`.
    public func sourceIDs(_ tokens: [String]) -> [Int] { codec.sourceIDs(tokens) }

    /// The text side of the model: d2l preprocessing and its word vocabularies.
    public var codec: WordCodec { WordCodec(sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary) }

    public var sourceVocabularySize: Int { config.srcVocabSize }
    public var targetVocabularySize: Int { config.tgtVocabSize }
    public var decoderStartID: Int { targetVocabulary.bos }
    public var eosID: Int { targetVocabulary.eos }
    public var suppressedIDs: [Int] { [] }
    public var forcesEOSAtLimit: Bool { false }
    public var renormalizesLogits: Bool { false }
    public var defaultLengthPenalty: Double { 0.75 }
    /// `max_len` of config.json, whatever the source.
    public func defaultMaxLength(sourceLength: Int) -> Int { config.maxLen }

    /// Runs the encoder over a batch of id sequences, each of length at least 1.
    ///
    /// - Returns: the final states, one `B × H` matrix per layer, rows in batch order.
    public func encode(_ sources: [[Int]]) -> [Matrix] {
        let layout = PackedLayout(lengths: sources.map(\.count))
        var input = encoderEmbedding.gatherRows(layout.pack(sources))
        var finals: [Matrix] = []
        for (l, layer) in encoderLayers.enumerated() {
            var state = Matrix(rows: layout.batch, cols: hiddenSize)
            let outputs = layer.run(gi: layer.projectInputs(input), layout: layout, state: &state)
            finals.append(state)
            if l + 1 < encoderLayers.count { input = outputs }
        }
        // Back from sorted order to batch order.
        var inverse = [Int](repeating: 0, count: layout.batch)
        for (j, b) in layout.order.enumerated() { inverse[b] = j }
        return finals.map { $0.gatherRows(inverse) }
    }

    /// The context's share of the decoder's first-layer input projections, constant over
    /// the decode: `c · W_ih_l0[:, E...]ᵀ + b_ih_l0`, `B × 3H` for contexts `c` (`B × H`).
    public func contextProjection(_ context: Matrix) -> Matrix {
        decoderLayers[0].projectInputs(context, inputs: embedSize..<(embedSize + hiddenSize))
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
        var input = decoderEmbedding.gatherRows(layout.pack(targetInputs))
        for (l, layer) in decoderLayers.enumerated() {
            var gi: Matrix
            if l == 0 {
                gi = layer.projectInputs(input, inputs: 0..<e, addBias: false)
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
        let logits = project(input)
        var perSentence = [Matrix](repeating: Matrix(rows: 0, cols: 0), count: layout.batch)
        for (j, b) in layout.order.enumerated() {
            let rows = (0..<layout.sortedLengths[j]).map { layout.row(step: $0, sorted: j) }
            perSentence[b] = logits.gatherRows(rows)
        }
        return perSentence
    }

    /// Logits of top-layer decoder states: `x · W_denseᵀ + b_dense`, `N × tgtVocab` for `x` `N × H`.
    func project(_ x: Matrix) -> Matrix {
        var logits = Matrix(rows: x.rows, cols: config.tgtVocabSize)
        logits.storage.withUnsafeMutableBufferPointer { project(x, into: $0.baseAddress!) }
        return logits
    }

    /// Writes the logits of `x` (`N × H`) to `logits` (`N × tgtVocab`, row stride `tgtVocab`).
    func project(_ x: Matrix, into logits: UnsafeMutablePointer<Float>) {
        let (h, v) = (hiddenSize, config.tgtVocabSize)
        guard x.rows > 0 else { return }
        if let packedDense {
            x.storage.withUnsafeBufferPointer { packedDense.apply($0.baseAddress!, rows: x.rows, into: logits) }
            return
        }
        x.storage.withUnsafeBufferPointer { xp in
            denseWeights.storage.withUnsafeBufferPointer { w in
                denseBias.withUnsafeBufferPointer { b in
                    for r in 0..<x.rows { (logits + r * v).update(from: b.baseAddress!, count: v) }
                    BLAS.gemm(m: x.rows, n: v, k: h, a: xp.baseAddress!, lda: h, b: w.baseAddress!, ldb: v, beta: 1, c: logits, ldc: v)
                }
            }
        }
    }
}

import Tensor

/// The Transformer encoder-decoder in the OPUS-MT layout (transformers' `MarianMTModel`),
/// ready for inference: post-norm layers, static sinusoidal positions, embeddings scaled by
/// `√d` when the config says so, and an output layer tied to the target embedding, plus
/// `final_logits_bias`.
///
/// A model is immutable and may be shared between threads.
public final class TransformerModel: TranslationModel {
    public let config: MarianConfig
    /// How `generate` decodes this model.
    public let generation: GenerationConfig
    /// Source embedding, `sourceVocab × d` (the shared one when embeddings are shared).
    let sourceEmbedding: EmbeddingTable
    /// Target embedding, `targetVocab × d`.
    let targetEmbedding: EmbeddingTable
    /// Positions `0..<max_position_embeddings`, `positions × d`.
    let positions: Matrix
    let encoderLayers: [EncoderLayer]
    let decoderLayers: [DecoderLayer]
    /// The output layer (its weight transposed, `d × targetVocab`) with `final_logits_bias`.
    let output: PackedWeights
    /// Factor of the embeddings: `√d` or 1.
    let embeddingScale: Float

    /// The model of `config`, its tensors taken from `tensors` (every one checked for shape).
    ///
    /// - Throws: ``ModelDirectoryError`` for a missing tensor, a wrong shape, or a tensor
    ///   that the model does not use.
    init(config: MarianConfig, generation: GenerationConfig, tensors: inout CheckpointTensors) throws(ModelDirectoryError) {
        let (d, v) = (config.dModel, config.targetVocabSize)
        self.config = config
        self.generation = generation
        let (source, target): (Matrix, Matrix)
        if config.shareEncoderDecoderEmbeddings {
            source = try tensors.sharedEmbedding(rows: v, width: d)
            target = source
        } else {
            source = try tensors.matrix("model.encoder.embed_tokens.weight", rows: config.vocabSize, cols: d)
            target = try tensors.matrix("model.decoder.embed_tokens.weight", rows: v, cols: d)
        }
        sourceEmbedding = EmbeddingTable(source, computeType: tensors.computeType)
        targetEmbedding = config.shareEncoderDecoderEmbeddings ? sourceEmbedding : EmbeddingTable(target, computeType: tensors.computeType)
        encoderLayers = try (0..<config.encoderLayers).map { (l) throws(ModelDirectoryError) in
            try EncoderLayer("model.encoder.layers.\(l)", config: config, tensors: &tensors)
        }
        decoderLayers = try (0..<config.decoderLayers).map { (l) throws(ModelDirectoryError) in
            try DecoderLayer("model.decoder.layers.\(l)", config: config, tensors: &tensors)
        }
        let output = config.tieWordEmbeddings ? target : try tensors.matrix("lm_head.weight", rows: v, cols: d)
        self.output = PackedWeights(
            output.transposed(), bias: try tensors.values("final_logits_bias", shape: [1, v]), computeType: tensors.computeType)
        positions = SinusoidalPositions.table(count: config.maxPositionEmbeddings, width: d)
        try tensors.checkPositions(positions, count: config.maxPositionEmbeddings, width: d)
        embeddingScale = config.scaleEmbedding ? Float(Double(d).squareRoot()) : 1
        if let unused = tensors.untaken.first {
            throw ModelDirectoryError(file: tensors.file, problem: "tensor \(unused) is not part of this model (config.json)")
        }
    }

    /// The model of `config` over `tensors` (transformers' names, as in `model.safetensors`),
    /// decoding as transformers derives from `config.json` alone (no `generation_config.json`):
    /// a model being trained, say.
    ///
    /// - Throws: ``ModelDirectoryError`` (file `"<memory>"`) for a missing, misshapen or unused tensor.
    public convenience init(config: MarianConfig, tensors: [String: SafeTensors.Tensor]) throws(ModelDirectoryError) {
        if let problem = config.problem { throw ModelDirectoryError(file: "<memory>", problem: problem) }
        var checkpoint = CheckpointTensors(file: "<memory>", tensors: tensors)
        try self.init(config: config, generation: GenerationConfig(config: config), tensors: &checkpoint)
    }

    public var sourceVocabularySize: Int { config.vocabSize }
    public var targetVocabularySize: Int { config.targetVocabSize }
    public var decoderStartID: Int { config.decoderStartTokenID }
    public var eosID: Int { config.eosTokenID }
    /// `<pad>` and the single-token bad words of generation_config.json.
    public var suppressedIDs: [Int] { Array(Set([config.padTokenID] + generation.suppressedIDs)).sorted() }
    public var forcesEOSAtLimit: Bool { generation.forcedEOSTokenID != nil }
    public var renormalizesLogits: Bool { generation.renormalizeLogits ?? false }
    public var defaultLengthPenalty: Double { generation.lengthPenalty ?? 1 }
    /// Width `d`.
    public var width: Int { config.dModel }

    /// `max_length − 1` of generation_config.json (or config.json) when set, else 256 or twice
    /// the source length plus 10, whichever is smaller; never past the positions table.
    public func defaultMaxLength(sourceLength: Int) -> Int {
        min(generation.maxLength.map { $0 - 1 } ?? min(256, 2 * sourceLength + 10), config.maxPositionEmbeddings)
    }

    /// Embeddings of `ids` at positions given per row, scaled, positions added: `ids.count × d`.
    private func embed(_ ids: [Int], from table: EmbeddingTable, positions rowPositions: [Int]) -> Matrix {
        var x = table.gatherRows(ids)
        let d = width
        x.storage.withUnsafeMutableBufferPointer { out in
            positions.storage.withUnsafeBufferPointer { p in
                for (r, position) in rowPositions.enumerated() {
                    let row = out.baseAddress! + r * d
                    let pos = p.baseAddress! + position * d
                    for c in 0..<d { row[c] = row[c] * embeddingScale + pos[c] }
                }
            }
        }
        return x
    }

    /// Runs the encoder over a batch of source id sequences (each non-empty, at most
    /// `max_position_embeddings` long).
    ///
    /// - Returns: the last layer's output, `tokens × d`, the sentences' rows one after another.
    public func encode(_ sources: [[Int]]) -> Matrix {
        let lengths = sources.map(\.count)
        precondition(lengths.allSatisfy { (1...config.maxPositionEmbeddings).contains($0) })
        var x = embed(sources.flatMap { $0 }, from: sourceEmbedding, positions: lengths.flatMap { 0..<$0 })
        for layer in encoderLayers { x = layer(x, lengths: lengths) }
        return x
    }

    public func startDecoding(_ sources: [[Int]]) -> TransformerDecoderState {
        let encoded = encode(sources)
        let memory = EncoderMemory(keysValues: decoderLayers.map { $0.crossKeyValue(encoded) }, lengths: sources.map(\.count))
        return TransformerDecoderState(memory: memory, layers: decoderLayers.count, width: width)
    }

    public func step(tokens: [Int], state: inout TransformerDecoderState, logits: UnsafeMutablePointer<Float>) {
        precondition(tokens.count == state.rows)
        precondition(state.position < config.maxPositionEmbeddings, "decoding past max_position_embeddings")
        guard state.rows > 0 else { return }
        state.reserveNextPosition()
        var x = embed(tokens, from: targetEmbedding, positions: Array(repeating: state.position, count: tokens.count))
        for (l, layer) in decoderLayers.enumerated() { x = layer.step(x, layer: l, state: &state) }
        state.position += 1
        x.storage.withUnsafeBufferPointer { output.apply($0.baseAddress!, rows: x.rows, into: logits) }
    }
}

/// The `config.json` of an OPUS-MT model directory (transformers' `MarianConfig`), with its
/// snake_case keys.
///
/// Every key that changes the computation is read; ``problem`` names the first value this
/// implementation cannot honour. Keys that only matter for training (dropouts, layer drop,
/// `init_std`) are ignored.
public struct MarianConfig: Codable, Equatable, Sendable {
    public var modelType: String
    /// Width `d` of every hidden state.
    public var dModel: Int
    public var encoderLayers: Int
    public var decoderLayers: Int
    public var encoderAttentionHeads: Int
    public var decoderAttentionHeads: Int
    /// Hidden width of the encoder's feed-forward blocks.
    public var encoderFFNDim: Int
    /// Hidden width of the decoder's feed-forward blocks.
    public var decoderFFNDim: Int
    /// `swish` (= `silu`), `relu` or `gelu`.
    public var activationFunction: String
    /// Source vocabulary size (the shared one when embeddings are shared).
    public var vocabSize: Int
    /// Target vocabulary size; `vocab_size` when absent.
    public var decoderVocabSize: Int?
    /// Multiply embeddings by `√d`.
    public var scaleEmbedding: Bool
    /// Pre-norm layers; Marian (and transformers' `MarianMTModel`) is post-norm.
    public var normalizeBefore: Bool?
    /// Longest sequence the positions table covers.
    public var maxPositionEmbeddings: Int
    public var padTokenID: Int
    public var eosTokenID: Int
    /// First decoder input (OPUS-MT: `<pad>`).
    public var decoderStartTokenID: Int
    /// When set, the last token a length limit allows is forced to be this one.
    public var forcedEOSTokenID: Int?
    /// One embedding for source and target (`model.shared.weight`).
    public var shareEncoderDecoderEmbeddings: Bool
    /// The output layer is the target embedding.
    public var tieWordEmbeddings: Bool
    /// Default limit on generated tokens, when the directory sets one.
    public var maxLength: Int?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case dModel = "d_model"
        case encoderLayers = "encoder_layers"
        case decoderLayers = "decoder_layers"
        case encoderAttentionHeads = "encoder_attention_heads"
        case decoderAttentionHeads = "decoder_attention_heads"
        case encoderFFNDim = "encoder_ffn_dim"
        case decoderFFNDim = "decoder_ffn_dim"
        case activationFunction = "activation_function"
        case vocabSize = "vocab_size"
        case decoderVocabSize = "decoder_vocab_size"
        case scaleEmbedding = "scale_embedding"
        case normalizeBefore = "normalize_before"
        case maxPositionEmbeddings = "max_position_embeddings"
        case padTokenID = "pad_token_id"
        case eosTokenID = "eos_token_id"
        case decoderStartTokenID = "decoder_start_token_id"
        case forcedEOSTokenID = "forced_eos_token_id"
        case shareEncoderDecoderEmbeddings = "share_encoder_decoder_embeddings"
        case tieWordEmbeddings = "tie_word_embeddings"
        case maxLength = "max_length"
    }

    /// The config of a new OPUS-MT model: post-norm, one shared embedding tied to the output
    /// layer, `</s>` = 0, `<pad>` = the last id and the decoder's start, `</s>` forced at the
    /// length limit, as OPUS-MT's models are.
    public init(
        dModel: Int, encoderLayers: Int, decoderLayers: Int, heads: Int, ffnDim: Int, activation: Activation, vocabSize: Int,
        maxPositionEmbeddings: Int = 256, scaleEmbedding: Bool = true
    ) {
        modelType = "marian"
        self.dModel = dModel
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        encoderAttentionHeads = heads
        decoderAttentionHeads = heads
        encoderFFNDim = ffnDim
        decoderFFNDim = ffnDim
        activationFunction = activation.rawValue
        self.vocabSize = vocabSize
        decoderVocabSize = vocabSize
        self.scaleEmbedding = scaleEmbedding
        normalizeBefore = false
        self.maxPositionEmbeddings = maxPositionEmbeddings
        padTokenID = vocabSize - 1
        eosTokenID = 0
        decoderStartTokenID = vocabSize - 1
        forcedEOSTokenID = 0
        shareEncoderDecoderEmbeddings = true
        tieWordEmbeddings = true
        maxLength = nil
    }

    /// transformers' defaults for keys a `config.json` may leave out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decode(String.self, forKey: .modelType)
        dModel = try c.decodeIfPresent(Int.self, forKey: .dModel) ?? 1024
        encoderLayers = try c.decodeIfPresent(Int.self, forKey: .encoderLayers) ?? 12
        decoderLayers = try c.decodeIfPresent(Int.self, forKey: .decoderLayers) ?? 12
        encoderAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .encoderAttentionHeads) ?? 16
        decoderAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .decoderAttentionHeads) ?? 16
        encoderFFNDim = try c.decodeIfPresent(Int.self, forKey: .encoderFFNDim) ?? 4096
        decoderFFNDim = try c.decodeIfPresent(Int.self, forKey: .decoderFFNDim) ?? 4096
        activationFunction = try c.decodeIfPresent(String.self, forKey: .activationFunction) ?? "gelu"
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 58101
        decoderVocabSize = try c.decodeIfPresent(Int.self, forKey: .decoderVocabSize)
        scaleEmbedding = try c.decodeIfPresent(Bool.self, forKey: .scaleEmbedding) ?? false
        normalizeBefore = try c.decodeIfPresent(Bool.self, forKey: .normalizeBefore)
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 1024
        padTokenID = try c.decodeIfPresent(Int.self, forKey: .padTokenID) ?? 58100
        eosTokenID = try c.decodeIfPresent(Int.self, forKey: .eosTokenID) ?? 0
        decoderStartTokenID = try c.decodeIfPresent(Int.self, forKey: .decoderStartTokenID) ?? 58100
        forcedEOSTokenID = try c.decodeIfPresent(Int.self, forKey: .forcedEOSTokenID)
        shareEncoderDecoderEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .shareEncoderDecoderEmbeddings) ?? true
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? true
        maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength)
    }

    /// Number of target ids.
    public var targetVocabSize: Int { decoderVocabSize ?? vocabSize }

    /// The activation the feed-forward blocks use, or `nil` for one not supported.
    public var activation: Activation? { Activation(rawValue: activationFunction == "silu" ? "swish" : activationFunction) }

    /// A description of the first value that cannot be honoured, naming its key, or `nil`.
    public var problem: String? {
        if modelType != "marian" { return "model_type is \(modelType), not marian" }
        for (name, value) in [
            ("d_model", dModel), ("encoder_layers", encoderLayers), ("decoder_layers", decoderLayers),
            ("encoder_attention_heads", encoderAttentionHeads), ("decoder_attention_heads", decoderAttentionHeads),
            ("encoder_ffn_dim", encoderFFNDim), ("decoder_ffn_dim", decoderFFNDim), ("vocab_size", vocabSize),
            ("decoder_vocab_size", targetVocabSize), ("max_position_embeddings", maxPositionEmbeddings),
        ] where value <= 0 {
            return "\(name) must be positive, not \(value)"
        }
        if dModel % 2 != 0 { return "d_model must be even for sinusoidal positions, not \(dModel)" }
        for (name, heads) in [("encoder_attention_heads", encoderAttentionHeads), ("decoder_attention_heads", decoderAttentionHeads)]
        where dModel % heads != 0 {
            return "\(name) \(heads) does not divide d_model \(dModel)"
        }
        if activation == nil { return "activation_function \(activationFunction) is not supported (swish, silu, relu, gelu)" }
        if normalizeBefore == true { return "normalize_before true (pre-norm layers) is not supported; Marian is post-norm" }
        if shareEncoderDecoderEmbeddings && decoderVocabSize.map({ $0 != vocabSize }) == true {
            return "share_encoder_decoder_embeddings is true but decoder_vocab_size \(targetVocabSize) differs from vocab_size \(vocabSize)"
        }
        for (name, id) in [("pad_token_id", padTokenID), ("eos_token_id", eosTokenID), ("decoder_start_token_id", decoderStartTokenID)]
        where !(0..<targetVocabSize).contains(id) {
            return "\(name) \(id) is outside the target vocabulary of \(targetVocabSize)"
        }
        return GenerationConfig(config: self).problem(for: self)
    }
}

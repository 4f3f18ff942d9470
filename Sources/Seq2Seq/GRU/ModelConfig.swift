/// Hyper-parameters of a model directory, stored as `config.json`.
public struct ModelConfig: Codable, Equatable, Sendable {
    /// Always `seq2seq-gru`.
    public var architecture: String
    /// Embedding width `E`.
    public var embedSize: Int
    /// GRU hidden width `H`.
    public var numHiddens: Int
    /// Number of stacked GRU layers `L`.
    public var numLayers: Int
    /// Dropout between GRU layers during training.
    public var dropout: Double
    /// Source vocabulary size.
    public var srcVocabSize: Int
    /// Target vocabulary size.
    public var tgtVocabSize: Int
    /// Default limit on generated tokens per sentence.
    public var maxLen: Int

    public init(
        embedSize: Int, numHiddens: Int, numLayers: Int, dropout: Double = 0,
        srcVocabSize: Int, tgtVocabSize: Int, maxLen: Int
    ) {
        self.architecture = "seq2seq-gru"
        self.embedSize = embedSize
        self.numHiddens = numHiddens
        self.numLayers = numLayers
        self.dropout = dropout
        self.srcVocabSize = srcVocabSize
        self.tgtVocabSize = tgtVocabSize
        self.maxLen = maxLen
    }

    enum CodingKeys: String, CodingKey {
        case architecture
        case embedSize = "embed_size"
        case numHiddens = "num_hiddens"
        case numLayers = "num_layers"
        case dropout
        case srcVocabSize = "src_vocab_size"
        case tgtVocabSize = "tgt_vocab_size"
        case maxLen = "max_len"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        architecture = try c.decodeIfPresent(String.self, forKey: .architecture) ?? "seq2seq-gru"
        embedSize = try c.decode(Int.self, forKey: .embedSize)
        numHiddens = try c.decode(Int.self, forKey: .numHiddens)
        numLayers = try c.decode(Int.self, forKey: .numLayers)
        dropout = try c.decodeIfPresent(Double.self, forKey: .dropout) ?? 0
        srcVocabSize = try c.decode(Int.self, forKey: .srcVocabSize)
        tgtVocabSize = try c.decode(Int.self, forKey: .tgtVocabSize)
        maxLen = try c.decodeIfPresent(Int.self, forKey: .maxLen) ?? 10
    }

    /// A description of the first invalid value, or `nil` when all are usable.
    public var problem: String? {
        if architecture != "seq2seq-gru" { return "architecture is \(architecture), not seq2seq-gru" }
        for (name, value) in [
            ("embed_size", embedSize), ("num_hiddens", numHiddens), ("num_layers", numLayers),
            ("src_vocab_size", srcVocabSize), ("tgt_vocab_size", tgtVocabSize), ("max_len", maxLen),
        ] where value <= 0 {
            return "\(name) must be positive, not \(value)"
        }
        if !(0..<1).contains(dropout) { return "dropout must be in [0, 1), not \(dropout)" }
        return nil
    }
}

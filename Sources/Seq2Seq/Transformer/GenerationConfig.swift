/// The `generation_config.json` of an OPUS-MT directory: the settings transformers'
/// `generate` uses for this model, read so that our decoding gives what `generate` gives.
///
/// When the file is absent, transformers derives them from `config.json`
/// (``init(config:)``); when present, keys it leaves out take transformers' defaults.
public struct GenerationConfig: Codable, Equatable, Sendable {
    /// Token sequences never generated; only single tokens are supported (OPUS-MT's `[[<pad>]]`).
    public var badWordsIDs: [[Int]]?
    /// The last token a length limit allows is forced to be this one.
    public var forcedEOSTokenID: Int?
    /// Log-softmax the scores again after the constraints (so a suppressed `<pad>` takes no
    /// probability mass from beam scores).
    public var renormalizeLogits: Bool?
    /// Exponent of the length normalisation of beam scores (transformers' default 1).
    public var lengthPenalty: Double?
    /// Most tokens of a result, the start token included.
    public var maxLength: Int?

    enum CodingKeys: String, CodingKey {
        case badWordsIDs = "bad_words_ids"
        case forcedEOSTokenID = "forced_eos_token_id"
        case renormalizeLogits = "renormalize_logits"
        case lengthPenalty = "length_penalty"
        case maxLength = "max_length"
    }

    /// What transformers derives from `config.json` when a directory has no `generation_config.json`.
    public init(config: MarianConfig) {
        forcedEOSTokenID = config.forcedEOSTokenID
        maxLength = config.maxLength
    }

    /// Ids never generated: the single-token bad words.
    public var suppressedIDs: [Int] { (badWordsIDs ?? []).compactMap(\.first) }

    /// A description of the first value that cannot be honoured for `config`, naming its key, or `nil`.
    public func problem(for config: MarianConfig) -> String? {
        for words in badWordsIDs ?? [] {
            guard words.count == 1 else { return "bad_words_ids \(words): only single tokens are supported" }
            guard (0..<config.targetVocabSize).contains(words[0]) else {
                return "bad_words_ids \(words[0]) is outside the target vocabulary of \(config.targetVocabSize)"
            }
        }
        if let forced = forcedEOSTokenID, forced != config.eosTokenID {
            return "forced_eos_token_id \(forced) differs from eos_token_id \(config.eosTokenID)"
        }
        if let maxLength, maxLength < 2 { return "max_length must be at least 2, not \(maxLength)" }
        if let lengthPenalty, !lengthPenalty.isFinite { return "length_penalty must be finite" }
        return nil
    }
}

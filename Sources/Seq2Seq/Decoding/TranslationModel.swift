/// The running state of a batch of step-by-step decodes: one row per hypothesis.
///
/// Rows can be dropped (finished sentences) or repeated (beam hypotheses sharing a parent)
/// with ``selectRows(_:)``; every per-row quantity moves together.
public protocol DecodingState: Sendable {
    /// Number of rows.
    var rows: Int { get }
    /// Keeps the rows at `indices`, in that order (an index may repeat).
    mutating func selectRows(_ indices: [Int])
}

/// A model that the decoding strategies (``GreedySearch``, ``BeamSearch``) drive: encode a
/// batch, then step the decoder for the live rows. Both families implement it: the d2l GRU
/// (``GRUModel``) and the OPUS-MT Transformer (``TransformerModel``).
public protocol TranslationModel: AnyObject, Sendable {
    associatedtype State: DecodingState

    /// Number of source ids the encoder takes.
    var sourceVocabularySize: Int { get }
    /// Number of target ids, the width of a row of logits.
    var targetVocabularySize: Int { get }
    /// The decoder's first input.
    var decoderStartID: Int { get }
    /// The end-of-sentence id; generating it finishes a hypothesis.
    var eosID: Int { get }
    /// Ids never generated (the Transformer's `<pad>`).
    var suppressedIDs: [Int] { get }
    /// Whether the last token a length limit allows must be the end of sentence
    /// (transformers' `forced_eos_token_id`).
    var forcesEOSAtLimit: Bool { get }
    /// Whether beam scores are log-probabilities over the ids that can be generated
    /// (transformers' `renormalize_logits`), rather than over the whole vocabulary.
    var renormalizesLogits: Bool { get }
    /// Exponent of the length normalisation of beam scores unless the caller sets one.
    var defaultLengthPenalty: Double { get }

    /// Most tokens to generate, end of sentence included, for a source of `sourceLength`
    /// ids when the caller sets no limit.
    func defaultMaxLength(sourceLength: Int) -> Int

    /// Encodes `sources` (ids ending with the end of sentence, each non-empty) and returns the
    /// decoder's starting state, one row per sentence in order.
    func startDecoding(_ sources: [[Int]]) -> State

    /// One decoder step for every row of `state`.
    ///
    /// - Parameters:
    ///   - tokens: the previous token of each row (``decoderStartID`` at the first step), `state.rows` ids.
    ///   - state: advanced in place.
    ///   - logits: receives `state.rows × targetVocabularySize` logits, row stride `targetVocabularySize`.
    func step(tokens: [Int], state: inout State, logits: UnsafeMutablePointer<Float>)
}

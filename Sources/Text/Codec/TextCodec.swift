/// The text side of a model: source text to source ids, target ids to text.
///
/// The pipeline stages that do not decode (tokenizer, sink) hold only a codec, never a
/// model's weights. Each model family has its own: ``WordCodec`` (the d2l GRU's
/// preprocessing and word vocabularies) and ``SentencePieceCodec`` (OPUS-MT's SentencePiece
/// models and `vocab.json`). A codec is immutable and may be shared between threads.
public protocol TextCodec: Sendable {
    /// Number of source ids; every id ``encode(_:maxTokens:)`` gives is below it.
    var sourceVocabularySize: Int { get }
    /// Number of target ids; ``decode(_:)`` takes ids below it.
    var targetVocabularySize: Int { get }

    /// Source ids of raw text, the end-of-sentence id appended.
    ///
    /// - Throws: ``SegmentError/empty`` for text of nothing but whitespace,
    ///   ``SegmentError/tooLong(tokens:limit:)`` when it has more than `maxTokens` tokens
    ///   (the end-of-sentence id not counted).
    func encode(_ text: String, maxTokens: Int) throws(SegmentError) -> [Int]

    /// The target tokens of `ids` (generated ids, without the end-of-sentence id), as the
    /// model's vocabulary spells them; `translate --tokens` prints them.
    func targetTokens(_ ids: [Int]) -> [String]

    /// Text of target ids (generated ids, without the end-of-sentence id).
    func decode(_ ids: [Int]) -> String
}

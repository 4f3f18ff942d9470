/// The d2l GRU's text side: d2l preprocessing, words split on spaces, word vocabularies,
/// and ``detokenize(_:)`` for output.
public struct WordCodec: TextCodec {
    public let sourceVocabulary: Vocabulary
    public let targetVocabulary: Vocabulary

    public init(sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary) {
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
    }

    public var sourceVocabularySize: Int { sourceVocabulary.count }
    public var targetVocabularySize: Int { targetVocabulary.count }

    /// Source ids of a token list: the tokens' ids (unknown ones `<unk>`) followed by `<eos>`.
    public func sourceIDs(_ tokens: [String]) -> [Int] {
        sourceVocabulary.ids(of: tokens) + [sourceVocabulary.eos]
    }

    public func encode(_ text: String, maxTokens: Int) throws(SegmentError) -> [Int] {
        // Splitting on spaces keeps tabs and other spacing as tokens; whitespace-only text is empty.
        let tokens = tokenize(preprocess(text))
        guard !tokens.isEmpty, !text.allSatisfy(\.isWhitespace) else { throw .empty }
        guard tokens.count <= maxTokens else { throw .tooLong(tokens: tokens.count, limit: maxTokens) }
        return sourceIDs(tokens)
    }

    public func targetTokens(_ ids: [Int]) -> [String] { targetVocabulary.tokens(of: ids) }

    public func decode(_ ids: [Int]) -> String { detokenize(targetTokens(ids)) }
}

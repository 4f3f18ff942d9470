/// An input split into sentences, with each sentence's source ids: what is translated
/// sentence by sentence and put back together with ``SplitText/joined(_:)``.
public struct EncodedDocument: Equatable, Sendable {
    /// The sentences and the exact text around them.
    public var text: SplitText
    /// Source ids of each sentence of `text`, in order.
    public var ids: [[Int]]
}

extension TextCodec {
    /// Splits `text` into sentences and encodes each, within `limits`.
    ///
    /// - Throws: ``DocumentError/input(_:)`` for an empty input or a single sentence over
    ///   the token limit, ``DocumentError/sentence(index:count:_:)`` for one sentence of
    ///   several, or the byte or sentence limit.
    public func encodeDocument(_ text: String, splitter: SentenceSplitter, limits: DocumentLimits) throws(DocumentError) -> EncodedDocument {
        let bytes = text.utf8.count
        guard bytes <= limits.maxBytes else { throw .tooManyBytes(bytes: bytes, limit: limits.maxBytes) }
        let split = splitter.split(text)
        guard !split.sentences.isEmpty else { throw .input(.empty) }
        guard split.sentences.count <= limits.maxSentences else {
            throw .tooManySentences(count: split.sentences.count, limit: limits.maxSentences)
        }
        var ids: [[Int]] = []
        ids.reserveCapacity(split.sentences.count)
        for (index, sentence) in split.sentences.enumerated() {
            do {
                ids.append(try encode(sentence.text, maxTokens: limits.maxTokensPerSentence))
            } catch {
                throw split.sentences.count == 1 ? .input(error) : .sentence(index: index, count: split.sentences.count, error)
            }
        }
        return EncodedDocument(text: split, ids: ids)
    }
}

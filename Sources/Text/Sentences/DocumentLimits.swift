/// How much one input may hold: past any of these it gets an error, never a truncated
/// translation.
public struct DocumentLimits: Equatable, Sendable {
    /// Most source tokens in one sentence.
    public var maxTokensPerSentence: Int
    /// Most UTF-8 bytes in one input.
    public var maxBytes: Int
    /// Most sentences in one input.
    public var maxSentences: Int

    public init(maxTokensPerSentence: Int = 200, maxBytes: Int = 65536, maxSentences: Int = 1000) {
        self.maxTokensPerSentence = maxTokensPerSentence
        self.maxBytes = maxBytes
        self.maxSentences = maxSentences
    }
}

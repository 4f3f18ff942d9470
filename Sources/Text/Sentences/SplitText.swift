/// Text split into sentences by ``SentenceSplitter``: `leading` (whitespace before the first
/// sentence), then each sentence and the whitespace after it.
public struct SplitText: Equatable, Sendable {
    /// One sentence and the text between it and the next.
    public struct Sentence: Equatable, Sendable {
        public var text: String
        public var separator: String
    }

    public var leading: String
    public var sentences: [Sentence]

    /// The text put back together, each sentence replaced by `transform` of it.
    public func joined(_ transform: (String) -> String = { $0 }) -> String {
        leading + sentences.map { transform($0.text) + $0.separator }.joined()
    }
}

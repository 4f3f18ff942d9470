/// Where a work or result item sits in a document of several sentences: the tokenizer
/// sends each sentence of such an input as its own item, so that one long document spreads
/// over all the workers, and the sink puts the translations back together in one record.
public struct SentencePart: Equatable, Sendable {
    /// The sentence's place in the input, from 0.
    public var index: Int
    /// How many sentences the input has.
    public var count: Int
    /// The input's text before its first sentence (whitespace; empty for every part but the first).
    public var leading: String
    /// The input's text between this sentence and the next (or the end).
    public var trailing: String

    public init(index: Int, count: Int, leading: String, trailing: String) {
        self.index = index
        self.count = count
        self.leading = leading
        self.trailing = trailing
    }
}

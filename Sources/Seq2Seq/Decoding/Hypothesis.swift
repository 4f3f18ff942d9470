/// A decoded sequence and its score.
public struct Hypothesis: Sendable, Equatable {
    /// Generated ids, without the end of sentence.
    public var ids: [Int]
    /// Greedy search: the sum of the tokens' log-probabilities (the end of sentence's
    /// included when generated). Beam search: that sum divided by `length^lengthPenalty`.
    public var score: Double

    public init(ids: [Int], score: Double) {
        self.ids = ids
        self.score = score
    }
}

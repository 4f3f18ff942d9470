import Tensor
import Text

/// One training example as id sequences, d2l style: the encoder reads the source tokens and
/// `<eos>`; the decoder reads `<bos>` and the target tokens and learns to predict the target
/// tokens and `<eos>`. All three are truncated to `numSteps`.
public struct Example: Sendable, Equatable {
    /// Encoder input: source ids then `<eos>`, at most `numSteps` of them.
    public var source: [Int]
    /// Decoder input: `<bos>` then all labels but the last (as many ids as `labels`).
    public var decoderInput: [Int]
    /// Labels: target ids then `<eos>`, at most `numSteps` of them.
    public var labels: [Int]

    /// The example of `pair` under the given vocabularies (unknown tokens become `<unk>`).
    public init(_ pair: SentencePair, sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary, numSteps: Int) {
        precondition(numSteps >= 1)
        source = Array((sourceVocabulary.ids(of: pair.source) + [sourceVocabulary.eos]).prefix(numSteps))
        labels = Array((targetVocabulary.ids(of: pair.target) + [targetVocabulary.eos]).prefix(numSteps))
        decoderInput = [targetVocabulary.bos] + labels.dropLast()
    }

    /// An example of explicit ids (`decoderInput` and `labels` of equal, non-zero length).
    public init(source: [Int], decoderInput: [Int], labels: [Int]) {
        precondition(!source.isEmpty && !labels.isEmpty && decoderInput.count == labels.count)
        self.source = source
        self.decoderInput = decoderInput
        self.labels = labels
    }
}

/// The indices `0..<count` in an order drawn from `rng` (Fisher–Yates, written out so that
/// the order depends on the seed alone, not on the standard library's version).
public func shuffledIndices(count: Int, using rng: inout SeededGenerator) -> [Int] {
    var indices = Array(0..<count)
    for i in stride(from: count - 1, to: 0, by: -1) {
        indices.swapAt(i, Int(rng.next() % UInt64(i + 1)))
    }
    return indices
}

/// The mini-batches of one epoch: the examples' indices shuffled with `rng` and cut into
/// batches of `batchSize` (the last one may be smaller).
public func shuffledBatches(count: Int, batchSize: Int, using rng: inout SeededGenerator) -> [[Int]] {
    precondition(batchSize >= 1)
    let order = shuffledIndices(count: count, using: &rng)
    return stride(from: 0, to: count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, count)]) }
}

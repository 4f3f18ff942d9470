import Tensor

/// What the decoder attends to, computed once per batch of sentences: for every decoder layer,
/// the cross-attention keys and values of every source position.
final class EncoderMemory: Sendable {
    /// Per decoder layer, `sourceTokens × 2d`: keys in the first `d` columns, values in the last.
    let keysValues: [Matrix]
    /// Each sentence's first row in `keysValues`.
    let offsets: [Int]
    /// Each sentence's number of source positions.
    let lengths: [Int]

    init(keysValues: [Matrix], lengths: [Int]) {
        self.keysValues = keysValues
        self.lengths = lengths
        var running = 0
        offsets = lengths.map { length in
            defer { running += length }
            return running
        }
    }
}

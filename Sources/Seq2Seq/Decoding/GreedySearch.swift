import Tensor

/// Greedy decoding of a batch: from the decoder's start token, each sentence feeds back its
/// most likely token until it produces the end of sentence (not included in the result) or
/// has generated its length limit of tokens (the end of sentence counted).
///
/// All sentences advance together with matrix–matrix products; finished sentences leave
/// the batch, so each result is the same as decoding that sentence alone.
public enum GreedySearch {
    /// - Parameters:
    ///   - sources: source id sequences (ending with the end of sentence), each non-empty.
    ///   - maxLengths: each sentence's limit on generated tokens, at least 1.
    /// - Returns: per sentence, its ids and the sum of their log-probabilities.
    public static func decode<Model: TranslationModel>(_ model: Model, _ sources: [[Int]], maxLengths: [Int]) -> [Hypothesis] {
        precondition(maxLengths.count == sources.count && maxLengths.allSatisfy { $0 >= 1 })
        guard !sources.isEmpty else { return [] }
        let v = model.targetVocabularySize
        let (eos, suppressed, forcing) = (model.eosID, model.suppressedIDs, model.forcesEOSAtLimit)
        var state = model.startDecoding(sources)
        var results = sources.map { _ in Hypothesis(ids: [], score: 0) }
        var active = Array(sources.indices)  // sentence of each state row
        var tokens = [Int](repeating: model.decoderStartID, count: sources.count)
        var logits = [Float](repeating: 0, count: sources.count * v)
        while !active.isEmpty {
            logits.withUnsafeMutableBufferPointer { model.step(tokens: tokens, state: &state, logits: $0.baseAddress!) }
            var keep: [Int] = []
            var nextTokens: [Int] = []
            logits.withUnsafeMutableBufferPointer { p in
                for (row, sentence) in active.enumerated() {
                    let rowLogits = p.baseAddress! + row * v
                    let generated = results[sentence].ids.count + 1
                    LogitKernels.constrain(
                        rowLogits, count: v, suppressed: suppressed, eos: eos, forceEOS: forcing && generated == maxLengths[sentence])
                    let token = VectorKernels.argmax(rowLogits, count: v)
                    results[sentence].score += Double(rowLogits[token] - VectorKernels.logSumExp(rowLogits, count: v))
                    guard token != eos else { continue }
                    results[sentence].ids.append(token)
                    if generated < maxLengths[sentence] {
                        keep.append(row)
                        nextTokens.append(token)
                    }
                }
            }
            if keep.count != active.count {
                state.selectRows(keep)
                active = keep.map { active[$0] }
            }
            tokens = nextTokens
        }
        return results
    }
}

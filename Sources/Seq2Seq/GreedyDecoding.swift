/// Index of the largest of `count` values (the first one on ties, as `torch.argmax`).
@inlinable
func argmax(_ values: UnsafePointer<Float>, count: Int) -> Int {
    var best = 0
    var bestValue = values[0]
    for i in 1..<count where values[i] > bestValue {
        best = i
        bestValue = values[i]
    }
    return best
}

extension Seq2SeqModel {
    /// Greedy decoding of a batch: from `<bos>`, each sentence feeds back its most likely
    /// token until it predicts `<eos>` (not included in the result) or has `maxLength` tokens.
    ///
    /// All sentences advance together with matrix–matrix products; finished sentences leave
    /// the batch, so each result is the same as decoding that sentence alone.
    ///
    /// - Parameter sources: source id sequences (tokens + `<eos>`), each non-empty.
    /// - Returns: target ids per sentence.
    public func greedyDecode(_ sources: [[Int]], maxLength: Int) -> [[Int]] {
        guard !sources.isEmpty else { return [] }
        let v = config.tgtVocabSize
        let eos = targetVocabulary.eos
        var state = startDecoding(sources)
        var results = [[Int]](repeating: [], count: sources.count)
        var active = Array(sources.indices)  // sentence of each state row
        var tokens = [Int](repeating: targetVocabulary.bos, count: sources.count)
        var logits = [Float](repeating: 0, count: sources.count * v)
        while !active.isEmpty {
            logits.withUnsafeMutableBufferPointer { step(tokens: tokens, state: &state, logits: $0.baseAddress!) }
            var keep: [Int] = []
            var nextTokens: [Int] = []
            logits.withUnsafeBufferPointer { p in
                for (row, sentence) in active.enumerated() {
                    let token = argmax(p.baseAddress! + row * v, count: v)
                    guard token != eos else { continue }
                    results[sentence].append(token)
                    if results[sentence].count < maxLength {
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

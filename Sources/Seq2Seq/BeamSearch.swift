import Foundation

/// Indices of the `k` largest of `count` values, largest first; ties go to the lower index.
func topIndices(_ values: UnsafePointer<Float>, count: Int, k: Int) -> [Int] {
    let k = min(k, count)
    var top: [Int] = []
    top.reserveCapacity(k + 1)
    for i in 0..<count {
        let value = values[i]
        if top.count == k {
            guard value > values[top[k - 1]] else { continue }
            top.removeLast()
        }
        var position = top.count
        while position > 0 && values[top[position - 1]] < value { position -= 1 }
        top.insert(i, at: position)
    }
    return top
}

/// `log Σ exp(values)` over `count` values, computed stably.
func logSumExp(_ values: UnsafePointer<Float>, count: Int) -> Float {
    var m = values[0]
    for i in 1..<count { m = max(m, values[i]) }
    var sum: Float = 0
    for i in 0..<count { sum += expf(values[i] - m) }
    return m + logf(sum)
}

/// A finished or running beam hypothesis.
struct Hypothesis {
    var tokens: [Int]
    /// Sum of the log-probabilities of its tokens (and of `<eos>` when finished by it).
    var logProbability: Double
    /// Tokens scored, `<eos>` included.
    var length: Int
}

extension Seq2SeqModel {
    /// Beam search over a batch: each sentence keeps its `beamWidth` most probable
    /// hypotheses, and returns the finished hypothesis with the best length-normalised score
    /// `log P / length^lengthPenalty`, where length counts the generated tokens and the
    /// final `<eos>` (if any). Width 1 gives exactly ``greedyDecode(_:maxLength:)``.
    ///
    /// At each step every running hypothesis is extended by every token; the `beamWidth`
    /// best extensions of each sentence by `log P` are kept. An extension by `<eos>`, or one
    /// reaching `maxLength` tokens, is finished. A sentence stops when it has no running
    /// hypothesis. All hypotheses of all sentences run through the decoder as one batch.
    ///
    /// - Returns: target ids per sentence, without `<eos>`.
    public func beamSearch(_ sources: [[Int]], beamWidth: Int, maxLength: Int, lengthPenalty: Double = 0.75) -> [[Int]] {
        precondition(beamWidth >= 1 && maxLength >= 1)
        guard !sources.isEmpty else { return [] }
        let v = config.tgtVocabSize
        let eos = targetVocabulary.eos
        var state = startDecoding(sources)
        // Running hypotheses, one per state row, grouped by sentence in sentence order.
        var running = sources.indices.map { (sentence: $0, hypothesis: Hypothesis(tokens: [], logProbability: 0, length: 0)) }
        var finished = [[Hypothesis]](repeating: [], count: sources.count)
        var logits: [Float] = []
        while !running.isEmpty {
            let tokens = running.map { $0.hypothesis.tokens.last ?? targetVocabulary.bos }
            logits = [Float](repeating: 0, count: running.count * v)
            logits.withUnsafeMutableBufferPointer { step(tokens: tokens, state: &state, logits: $0.baseAddress!) }
            var parents: [Int] = []
            var next: [(sentence: Int, hypothesis: Hypothesis)] = []
            logits.withUnsafeBufferPointer { p in
                var first = 0
                while first < running.count {
                    let sentence = running[first].sentence
                    var end = first
                    while end < running.count && running[end].sentence == sentence { end += 1 }
                    // Candidates of this sentence: each row's best tokens, in (row, rank) order so that a
                    // stable sort breaks ties towards earlier rows and likelier tokens.
                    var candidates: [(row: Int, token: Int, logProbability: Double)] = []
                    for row in first..<end {
                        let rowLogits = p.baseAddress! + row * v
                        let normaliser = logSumExp(rowLogits, count: v)
                        for token in topIndices(rowLogits, count: v, k: beamWidth) {
                            let logP = running[row].hypothesis.logProbability + Double(rowLogits[token] - normaliser)
                            candidates.append((row, token, logP))
                        }
                    }
                    let best = candidates.enumerated()
                        .sorted { a, b in
                            a.element.logProbability != b.element.logProbability
                                ? a.element.logProbability > b.element.logProbability : a.offset < b.offset
                        }
                        .prefix(beamWidth)
                    for (_, candidate) in best {
                        var h = running[candidate.row].hypothesis
                        h.logProbability = candidate.logProbability
                        h.length += 1
                        if candidate.token == eos {
                            finished[sentence].append(h)
                            continue
                        }
                        h.tokens.append(candidate.token)
                        if h.tokens.count == maxLength {
                            finished[sentence].append(h)
                        } else {
                            parents.append(candidate.row)
                            next.append((sentence, h))
                        }
                    }
                    first = end
                }
            }
            state.selectRows(parents)
            running = next
        }
        return finished.map { hypotheses in
            let score = { (h: Hypothesis) in h.logProbability / pow(Double(h.length), lengthPenalty) }
            var best = hypotheses[0]
            for h in hypotheses.dropFirst() where score(h) > score(best) { best = h }
            return best.tokens
        }
    }
}

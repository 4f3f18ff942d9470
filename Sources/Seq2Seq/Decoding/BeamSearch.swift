import Tensor
import Foundation

/// Beam search over a batch with the semantics of transformers' `generate(num_beams: K)`
/// (`early_stopping=False`), so that the output is the hypothesis transformers returns.
///
/// Per sentence and step: every running hypothesis's tokens are scored by log-probability
/// (after the model's constraints), added to the hypothesis's running sum; the `2K` best
/// continuations are ranked. Among the first `K` of them, a continuation that ends the
/// sentence (the end of sentence, or the length limit reached) is offered to the `K` best
/// finished hypotheses, scored `sum / length^lengthPenalty` where `length` counts the
/// generated tokens with the end of sentence. The `K` best continuations that do not end it
/// run on. A sentence stops at its length limit, or once it holds `K` finished hypotheses of
/// which the worst scores at least the best running sum divided by the current length
/// to the penalty. It returns its best finished hypothesis. Width 1 is greedy decoding.
///
/// All running hypotheses of all sentences step through the model as one batch; a finished
/// sentence leaves it, so each result is the same as decoding that sentence alone.
public enum BeamSearch {
    /// A hypothesis still running, one state row.
    struct Beam {
        var sentence: Int
        var ids: [Int]
        var logProbability: Double
    }

    /// One continuation of a running beam.
    struct Candidate {
        var row: Int
        var token: Int
        var logProbability: Double
    }

    /// - Parameters:
    ///   - sources: source id sequences (ending with the end of sentence), each non-empty.
    ///   - beamWidth: `K`, at least 1.
    ///   - maxLengths: each sentence's limit on generated tokens, at least 1.
    ///   - lengthPenalty: the exponent of the length normalisation.
    /// - Returns: per sentence, its best finished hypothesis and that hypothesis's score.
    public static func decode<Model: TranslationModel>(
        _ model: Model, _ sources: [[Int]], beamWidth k: Int, maxLengths: [Int], lengthPenalty: Double
    ) -> [Hypothesis] {
        precondition(k >= 1 && maxLengths.count == sources.count && maxLengths.allSatisfy { $0 >= 1 })
        guard !sources.isEmpty else { return [] }
        let v = model.targetVocabularySize
        var state = model.startDecoding(sources)
        var running = sources.indices.map { Beam(sentence: $0, ids: [], logProbability: 0) }
        var finished = [[Hypothesis]](repeating: [], count: sources.count)
        var logits: [Float] = []
        while !running.isEmpty {
            let tokens = running.map { $0.ids.last ?? model.decoderStartID }
            logits = [Float](repeating: 0, count: running.count * v)
            logits.withUnsafeMutableBufferPointer { model.step(tokens: tokens, state: &state, logits: $0.baseAddress!) }
            var parents: [Int] = []
            var next: [Beam] = []
            logits.withUnsafeMutableBufferPointer { p in
                var first = 0
                while first < running.count {
                    let sentence = running[first].sentence
                    var end = first
                    while end < running.count && running[end].sentence == sentence { end += 1 }
                    let length = running[first].ids.count + 1
                    let candidates = rankedContinuations(
                        of: running, rows: first..<end, logits: p.baseAddress!, model: model, k: k,
                        atLimit: length == maxLengths[sentence])
                    var survivors = advance(
                        sentence: sentence, running: running, candidates: candidates, finished: &finished[sentence], k: k,
                        length: length, atLimit: length == maxLengths[sentence], eos: model.eosID, lengthPenalty: lengthPenalty)
                    if isDone(survivors: survivors, finished: finished[sentence], k: k, length: length, lengthPenalty: lengthPenalty) {
                        survivors = []
                    }
                    for (row, beam) in survivors {
                        parents.append(row)
                        next.append(beam)
                    }
                    first = end
                }
            }
            state.selectRows(parents)
            running = next
        }
        return finished.map { $0[0] }
    }

    /// The `2K` best continuations of the running beams `rows` (one sentence's), best first;
    /// ties go to the earlier row and then the likelier token.
    static func rankedContinuations<Model: TranslationModel>(
        of running: [Beam], rows: Range<Int>, logits: UnsafeMutablePointer<Float>, model: Model, k: Int, atLimit: Bool
    ) -> [Candidate] {
        let v = model.targetVocabularySize
        var candidates: [Candidate] = []
        for row in rows {
            let rowLogits = logits + row * v
            let forcing = model.forcesEOSAtLimit && atLimit
            // transformers normalises before its constraints, and again after them with renormalize_logits.
            let before = model.renormalizesLogits ? nil : VectorKernels.logSumExp(rowLogits, count: v)
            LogitKernels.constrain(rowLogits, count: v, suppressed: model.suppressedIDs, eos: model.eosID, forceEOS: forcing)
            let normaliser = before ?? VectorKernels.logSumExp(rowLogits, count: v)
            for token in LogitKernels.topIndices(rowLogits, count: v, k: 2 * k) where rowLogits[token] > -.infinity {
                // A forced end of sentence scores 0, as transformers' ForcedEOSTokenLogitsProcessor sets it.
                let logP = forcing ? 0 : Double(rowLogits[token] - normaliser)
                candidates.append(Candidate(row: row, token: token, logProbability: running[row].logProbability + logP))
            }
        }
        let ranked = candidates.enumerated().sorted { a, b in
            a.element.logProbability != b.element.logProbability ? a.element.logProbability > b.element.logProbability : a.offset < b.offset
        }
        return ranked.prefix(2 * k).map(\.element)
    }

    /// Offers the top `K` ranked continuations that end the sentence to its finished
    /// hypotheses and returns the `K` best that run on, with their parent rows.
    static func advance(
        sentence: Int, running: [Beam], candidates: [Candidate], finished: inout [Hypothesis], k: Int, length: Int,
        atLimit: Bool, eos: Int, lengthPenalty: Double
    ) -> [(row: Int, beam: Beam)] {
        for candidate in candidates.prefix(k) where candidate.token == eos || atLimit {
            var ids = running[candidate.row].ids
            if candidate.token != eos { ids.append(candidate.token) }
            let score = candidate.logProbability / pow(Double(length), lengthPenalty)
            // Keep the K best; an equal score does not displace an earlier one.
            let position = finished.firstIndex { $0.score < score } ?? finished.count
            finished.insert(Hypothesis(ids: ids, score: score), at: position)
            if finished.count > k { finished.removeLast() }
        }
        guard !atLimit else { return [] }
        return candidates.filter { $0.token != eos }.prefix(k).map { candidate in
            var beam = running[candidate.row]
            beam.ids.append(candidate.token)
            beam.logProbability = candidate.logProbability
            return (candidate.row, beam)
        }
    }

    /// Whether a sentence is done: `K` finished hypotheses, none worse than what the best
    /// running one would score if it ended now.
    static func isDone(survivors: [(row: Int, beam: Beam)], finished: [Hypothesis], k: Int, length: Int, lengthPenalty: Double) -> Bool {
        guard let best = survivors.first else { return true }
        guard finished.count == k else { return false }
        return best.beam.logProbability / pow(Double(length), lengthPenalty) <= finished[k - 1].score
    }
}

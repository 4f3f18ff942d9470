import Foundation

/// A corpus BLEU score with the statistics it was computed from, as sacrebleu's `BLEUScore`.
public struct BLEUScore: Sendable, Equatable, CustomStringConvertible {
    /// BLEU on the 0–100 scale.
    public let score: Double
    /// Clipped matching n-grams for n = 1…4, summed over the corpus (sacrebleu's `counts`).
    public let matches: [Int]
    /// Hypothesis n-grams for n = 1…4, summed over the corpus (sacrebleu's `totals`).
    public let totals: [Int]
    /// The n-gram precisions for n = 1…4 in percent, after `exp` smoothing; all 0 when no
    /// n-gram of any order matches.
    public let precisions: [Double]
    /// The brevity penalty, `exp(1 - refLen / sysLen)` when the hypotheses are shorter than
    /// the references, else 1.
    public let brevityPenalty: Double
    /// Number of `13a` tokens in all hypotheses (sacrebleu's `sys_len`).
    public let sysLen: Int
    /// Number of `13a` tokens in all references (sacrebleu's `ref_len`).
    public let refLen: Int

    /// The score with two decimals, as sacrebleu prints it without its signature:
    /// `BLEU = 23.45`.
    public var description: String { "BLEU = " + String(format: "%.2f", score) }

    /// `description` followed by the statistics, exactly as sacrebleu's `str(score)`:
    /// `BLEU = 23.45 56.2/30.0/19.1/12.0 (BP = 1.000 ratio = 1.020 hyp_len = 51 ref_len = 50)`.
    public var verboseDescription: String {
        let precisionText = precisions.map { String(format: "%.1f", $0) }.joined(separator: "/")
        let ratio = refLen == 0 ? 0 : Double(sysLen) / Double(refLen)
        return "\(description) \(precisionText) (BP = \(String(format: "%.3f", brevityPenalty)) "
            + "ratio = \(String(format: "%.3f", ratio)) hyp_len = \(sysLen) ref_len = \(refLen))"
    }
}

/// The highest n-gram order BLEU counts.
private let maxOrder = 4

/// Corpus BLEU-4 of `hypotheses` against `references` (one reference per hypothesis, in the
/// same order), computed as sacrebleu's default `corpus_bleu(hypotheses, [references])`.
///
/// Each sentence has trailing whitespace removed and is split by `tokenize13a(_:)`, with case
/// kept. For n = 1…4 the hypothesis n-grams are counted, each clipped to its count in the
/// sentence's reference, and both sums run over the whole corpus. An order without any match
/// gets the precision `100 / (2^k · total)` for the k-th such order (sacrebleu's `exp`
/// smoothing, from mteval-v13a); an order without any hypothesis n-gram keeps precision 0.
/// The score is the brevity penalty times the geometric mean of the four precisions, where
/// a precision of 0 contributes a logarithm of −9999999999 as in sacrebleu; it is 0 when
/// nothing matches at all, including for an empty corpus.
///
/// - Precondition: `hypotheses.count == references.count`.
public func corpusBLEU(hypotheses: [String], references: [String]) -> BLEUScore {
    precondition(
        hypotheses.count == references.count,
        "corpusBLEU: \(hypotheses.count) hypotheses but \(references.count) references")
    var tokenIDs = TokenIDs()
    var matches = [Int](repeating: 0, count: maxOrder)
    var totals = [Int](repeating: 0, count: maxOrder)
    var sysLen = 0
    var refLen = 0
    for (hypothesis, reference) in zip(hypotheses, references) {
        let hyp = tokens13a(strippingTrailingWhitespace(hypothesis)).map { tokenIDs.id(of: $0) }
        let ref = tokens13a(strippingTrailingWhitespace(reference)).map { tokenIDs.id(of: $0) }
        sysLen += hyp.count
        refLen += ref.count
        for n in 1...maxOrder {
            let counts = clippedNGramMatches(hypothesis: hyp, reference: ref, order: n)
            matches[n - 1] += counts.matches
            totals[n - 1] += counts.total
        }
    }

    var brevityPenalty = 1.0
    if sysLen < refLen {
        brevityPenalty = sysLen > 0 ? exp(1 - Double(refLen) / Double(sysLen)) : 0
    }
    var precisions = [Double](repeating: 0, count: maxOrder)
    guard matches.contains(where: { $0 > 0 }) else {
        return BLEUScore(
            score: 0, matches: matches, totals: totals, precisions: precisions,
            brevityPenalty: brevityPenalty, sysLen: sysLen, refLen: refLen)
    }
    var smoothing = 1.0
    for i in 0..<maxOrder {
        guard totals[i] > 0 else { break }
        if matches[i] == 0 {
            smoothing *= 2
            precisions[i] = 100 / (smoothing * Double(totals[i]))
        } else {
            precisions[i] = 100 * Double(matches[i]) / Double(totals[i])
        }
    }
    let logSum = precisions.reduce(0.0) { $0 + ($1 == 0 ? -9_999_999_999 : log($1)) }
    return BLEUScore(
        score: brevityPenalty * exp(logSum / Double(maxOrder)), matches: matches, totals: totals,
        precisions: precisions, brevityPenalty: brevityPenalty, sysLen: sysLen, refLen: refLen)
}

/// The per-sentence BLEU of the d2l.ai book's sequence-to-sequence chapter for `prediction`
/// against `label`, both already tokenized with single spaces, using n-grams up to order `k`:
///
///     exp(min(0, 1 - len_label / len_pred)) · ∏_{n=1}^{min(k, len_pred)} p_n^(1/2^n)
///
/// where `p_n` is the fraction of the prediction's n-grams that match a label n-gram, each
/// label n-gram matching at most once. Tokens come from Python's `str.split(' ')`: every
/// single space separates, so `""` is one empty token and doubled spaces make empty tokens.
/// `d2lBLEU(prediction: "va !", label: "va !", k: 2) == 1`.
public func d2lBLEU(prediction: String, label: String, k: Int) -> Double {
    var tokenIDs = TokenIDs()
    let pred = Array(prediction.unicodeScalars)
        .split(separator: " ", omittingEmptySubsequences: false).map { tokenIDs.id(of: Array($0)) }
    let lab = Array(label.unicodeScalars)
        .split(separator: " ", omittingEmptySubsequences: false).map { tokenIDs.id(of: Array($0)) }
    // Splitting never yields zero tokens, so d2l's `if len_pred else 0.0` cannot apply.
    var score = exp(min(0, 1 - Double(lab.count) / Double(pred.count)))
    for n in stride(from: 1, through: min(k, pred.count), by: 1) {
        let counts = clippedNGramMatches(hypothesis: pred, reference: lab, order: n)
        score *= pow(Double(counts.matches) / Double(counts.total), pow(0.5, Double(n)))
    }
    return score
}

/// Small integer ids for tokens, equal exactly when the tokens' Unicode scalars are equal.
private struct TokenIDs {
    private var ids: [[Unicode.Scalar]: Int] = [:]

    /// The id of `token`, assigning the next free one to a token not seen before.
    mutating func id(of token: [Unicode.Scalar]) -> Int {
        if let id = ids[token] { return id }
        let id = ids.count
        ids[token] = id
        return id
    }
}

/// `line` without the trailing whitespace Python's `str.rstrip()` removes.
private func strippingTrailingWhitespace(_ line: String) -> [Unicode.Scalar] {
    var scalars = Array(line.unicodeScalars)
    while let last = scalars.last, isPythonWhitespace(last) { scalars.removeLast() }
    return scalars
}

/// The number of n-grams of order `order` in `hypothesis` (`total`) and how many of them
/// match an n-gram of `reference`, each distinct n-gram counting at most as often as it
/// occurs in `reference` (`matches`).
private func clippedNGramMatches(
    hypothesis: [Int], reference: [Int], order: Int
) -> (matches: Int, total: Int) {
    guard hypothesis.count >= order else { return (0, 0) }
    var available: [ArraySlice<Int>: Int] = [:]
    if reference.count >= order {
        for i in 0...(reference.count - order) {
            available[reference[i..<(i + order)], default: 0] += 1
        }
    }
    var matches = 0
    for i in 0...(hypothesis.count - order) {
        let ngram = hypothesis[i..<(i + order)]
        if let left = available[ngram], left > 0 {
            matches += 1
            available[ngram] = left - 1
        }
    }
    return (matches, hypothesis.count - order + 1)
}

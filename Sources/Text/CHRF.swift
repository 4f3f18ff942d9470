/// A corpus chrF score, as sacrebleu's default `CHRF()` computes and prints it.
public struct CHRFScore: Sendable, Equatable, CustomStringConvertible {
    /// chrF on the 0–100 scale.
    public let score: Double
    /// For n = 1…6: character n-grams in the hypotheses, in the references, and matching,
    /// summed over the corpus (sacrebleu's statistics).
    public let statistics: [(hypothesis: Int, reference: Int, matches: Int)]

    /// `chrF2 = 57.94`, as sacrebleu prints it without its signature.
    public var description: String { "chrF2 = " + String(format: "%.2f", score) }

    public static func == (a: CHRFScore, b: CHRFScore) -> Bool {
        a.score == b.score && a.statistics.elementsEqual(b.statistics) { $0 == $1 }
    }
}

/// Character n-gram orders chrF counts.
private let chrFOrder = 6
/// chrF's β: recall weighs β² times as much as precision.
private let chrFBeta = 2.0

/// Corpus chrF of `hypotheses` against `references` (one each, in order), as sacrebleu's
/// default `corpus_chrf(hypotheses, [references])`: character n-grams of orders 1 to 6 of
/// each sentence with its whitespace removed, case kept, counted per sentence (a hypothesis
/// n-gram counts only where its reference has n-grams of that order) and summed over the
/// corpus; then the precisions and recalls of the orders with n-grams on both sides are
/// averaged and combined as F-β with β = 2.
///
/// - Precondition: `hypotheses.count == references.count`.
public func corpusCHRF(hypotheses: [String], references: [String]) -> CHRFScore {
    precondition(hypotheses.count == references.count, "corpusCHRF: \(hypotheses.count) hypotheses but \(references.count) references")
    var totals = [(hypothesis: Int, reference: Int, matches: Int)](repeating: (0, 0, 0), count: chrFOrder)
    for (hypothesis, reference) in zip(hypotheses, references) {
        let h = withoutWhitespace(hypothesis)
        let r = withoutWhitespace(reference)
        for n in 1...chrFOrder {
            let hypothesisCounts = nGramCounts(h, n)
            let referenceCounts = nGramCounts(r, n)
            let matches = hypothesisCounts.reduce(0) { $0 + min($1.value, referenceCounts[$1.key] ?? 0) }
            totals[n - 1].hypothesis += referenceCounts.isEmpty ? 0 : max(0, h.count - n + 1)
            totals[n - 1].reference += max(0, r.count - n + 1)
            totals[n - 1].matches += matches
        }
    }
    return CHRFScore(score: fScore(totals), statistics: totals)
}

/// sacrebleu's `_compute_f_score` without eps smoothing.
private func fScore(_ statistics: [(hypothesis: Int, reference: Int, matches: Int)]) -> Double {
    var (precision, recall, orders) = (0.0, 0.0, 0)
    for order in statistics where order.hypothesis > 0 && order.reference > 0 {
        precision += Double(order.matches) / Double(order.hypothesis)
        recall += Double(order.matches) / Double(order.reference)
        orders += 1
    }
    guard orders > 0 else { return 0 }
    precision /= Double(orders)
    recall /= Double(orders)
    let factor = chrFBeta * chrFBeta
    guard precision + recall > 0 else { return 0 }
    return 100 * (1 + factor) * precision * recall / (factor * precision + recall)
}

/// The Unicode scalars of `text` without whitespace (Python's `''.join(text.split())`).
private func withoutWhitespace(_ text: String) -> [Unicode.Scalar] {
    text.unicodeScalars.filter { !($0.properties.isWhitespace || (0x1C...0x1F).contains($0.value)) }
}

private func nGramCounts(_ scalars: [Unicode.Scalar], _ n: Int) -> [ArraySlice<Unicode.Scalar>: Int] {
    var counts: [ArraySlice<Unicode.Scalar>: Int] = [:]
    guard scalars.count >= n else { return counts }
    for start in 0...(scalars.count - n) { counts[scalars[start..<(start + n)], default: 0] += 1 }
    return counts
}

import Seq2Seq
import Text

/// Scores of a model's translations against reference translations.
public struct EvaluationResult: Sendable {
    /// Corpus BLEU-4 (sacrebleu's default, `13a` tokenizer) of the hypotheses against the
    /// references, both as d2l-preprocessed tokens joined by spaces.
    public var bleu: BLEUScore
    /// Mean of d2l's per-sentence `bleu(pred, label, k=2)`, in [0, 1].
    public var d2lMean: Double
    /// Each pair's translation, tokens joined by spaces.
    public var hypotheses: [String]
    /// Each pair's reference, tokens joined by spaces.
    public var references: [String]
}

/// Translates the sources of `pairs` (in batches of `batchSize`) and scores the translations.
///
/// - Precondition: `pairs` is not empty.
public func evaluate(_ model: GRUModel, on pairs: [SentencePair], options: DecodingOptions, batchSize: Int = 64) -> EvaluationResult {
    precondition(!pairs.isEmpty)
    var hypotheses: [String] = []
    for start in stride(from: 0, to: pairs.count, by: batchSize) {
        let sources = pairs[start..<min(start + batchSize, pairs.count)].map { model.sourceIDs($0.source) }
        hypotheses += model.decode(sources, options: options).map { model.codec.targetTokens($0.ids).joined(separator: " ") }
    }
    let references = pairs.map { $0.target.joined(separator: " ") }
    let d2l = zip(hypotheses, references).map { d2lBLEU(prediction: $0, label: $1, k: 2) }
    return EvaluationResult(
        bleu: corpusBLEU(hypotheses: hypotheses, references: references), d2lMean: d2l.reduce(0, +) / Double(d2l.count),
        hypotheses: hypotheses, references: references)
}

/// The four examples of the d2l book's sequence-to-sequence chapter (English, French).
public let d2lExamples: [(english: String, french: String)] = [
    ("go .", "va !"), ("i lost .", "j'ai perdu ."), ("he's calm .", "il est calme ."), ("i'm home .", "je suis chez moi ."),
]

import Seq2Seq
import Text

/// Scores of a model's translations against reference translations, as sacrebleu gives them.
public struct EvaluationResult: Sendable {
    /// sacreBLEU: corpus BLEU-4 (13a tokenizer, case kept, exp smoothing) of the translations
    /// as text against the references as given.
    public var bleu: BLEUScore
    /// sacrebleu's default chrF (character 6-grams, β = 2) of the same.
    public var chrF: CHRFScore
    /// Each pair's translation as text (empty where the source could not be translated).
    public var hypotheses: [String]
    /// Each pair's reference as given.
    public var references: [String]
    /// The pairs (their index from 0) whose source could not be translated, and why.
    public var failures: [(index: Int, error: DocumentError)]
}

/// Translates the sources of `pairs` as `seq2seq translate` does (sentence by sentence, in
/// batches of `batchSize` pairs) and scores the translations against the targets.
public func evaluate(
    _ model: any TranslationModel, codec: any TextCodec, on pairs: [(source: String, target: String)], options: DecodingOptions,
    limits: DocumentLimits = DocumentLimits(), batchSize: Int = 64
) -> EvaluationResult {
    let splitter = SentenceSplitter()
    var hypotheses: [String] = []
    var failures: [(index: Int, error: DocumentError)] = []
    for start in stride(from: 0, to: pairs.count, by: batchSize) {
        let documents = pairs[start..<min(start + batchSize, pairs.count)].map { pair in
            Result { () throws(DocumentError) in try codec.encodeDocument(pair.source, splitter: splitter, limits: limits) }
        }
        for (offset, result) in model.translate(documents, options: options, render: codec.decode).enumerated() {
            switch result {
            case .success(let text): hypotheses.append(text)
            case .failure(let error):
                hypotheses.append("")
                failures.append((start + offset, error))
            }
        }
    }
    let references = pairs.map(\.target)
    return EvaluationResult(
        bleu: corpusBLEU(hypotheses: hypotheses, references: references), chrF: corpusCHRF(hypotheses: hypotheses, references: references),
        hypotheses: hypotheses, references: references, failures: failures)
}

/// The d2l book's scores: on d2l-preprocessed tokens (lower-cased, punctuation split).
public struct D2LScores: Sendable {
    /// Corpus BLEU-4 (as sacrebleu computes it) of the preprocessed translations.
    public var bleu: BLEUScore
    /// Mean of d2l's per-sentence `bleu(pred, label, k=2)`, in [0, 1].
    public var mean: Double
    /// Each translation and reference, preprocessed, tokens joined by spaces.
    public var hypotheses: [String]
    public var references: [String]

    /// The d2l scores of translations `hypotheses` against `references` (text, one each).
    public init(hypotheses: [String], references: [String]) {
        self.hypotheses = hypotheses.map { tokenize(preprocess($0)).joined(separator: " ") }
        self.references = references.map { tokenize(preprocess($0)).joined(separator: " ") }
        bleu = corpusBLEU(hypotheses: self.hypotheses, references: self.references)
        let scores = zip(self.hypotheses, self.references).map { d2lBLEU(prediction: $0, label: $1, k: 2) }
        mean = scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count)
    }
}

/// Corpus BLEU of a GRU's greedy or beam translations of token pairs, on d2l tokens: the
/// validation score of GRU training.
func validationBLEU(_ model: GRUModel, on pairs: [SentencePair], options: DecodingOptions, batchSize: Int = 64) -> BLEUScore {
    var hypotheses: [String] = []
    for start in stride(from: 0, to: pairs.count, by: batchSize) {
        let sources = pairs[start..<min(start + batchSize, pairs.count)].map { model.sourceIDs($0.source) }
        hypotheses += model.decode(sources, options: options).map { model.codec.targetTokens($0.ids).joined(separator: " ") }
    }
    return corpusBLEU(hypotheses: hypotheses, references: pairs.map { $0.target.joined(separator: " ") })
}

/// The four examples of the d2l book's sequence-to-sequence chapter (English, French).
public let d2lExamples: [(english: String, french: String)] = [
    ("go .", "va !"), ("i lost .", "j'ai perdu ."), ("he's calm .", "il est calme ."), ("i'm home .", "je suis chez moi ."),
]

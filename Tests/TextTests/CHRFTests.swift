import Foundation
import Testing

@testable import Text

/// chrF against sacrebleu's `corpus_chrf` (2.6.0) on the corpora of `Fixtures/chrf/cases.json`
/// (made by its `make_cases.py`): hand-made awkward ones and 300 perturbed Tatoeba sentences.
@Suite struct CHRFTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let hyp: [String]
        let ref: [String]
        let score: Double
        /// Hypothesis, reference and matching n-grams for n = 1…6, flattened.
        let stats: [Int]
        /// sacrebleu's `str(score)`.
        let text: String
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/chrf/cases.json")
        return try! JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }()

    @Test(arguments: cases)
    func matchesSacrebleu(_ golden: Case) {
        let score = corpusCHRF(hypotheses: golden.hyp, references: golden.ref)
        #expect(abs(score.score - golden.score) < 1e-9)
        #expect(score.statistics.flatMap { [$0.hypothesis, $0.reference, $0.matches] } == golden.stats)
        #expect(score.description == golden.text)
    }
}

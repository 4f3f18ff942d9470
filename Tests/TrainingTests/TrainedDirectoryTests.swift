import Foundation
import Seq2Seq
import Testing
import Text

@testable import Training

/// `Tests/Fixtures/marian/trained/model`, written by `seq2seq train --architecture transformer`
/// (the command is in `check_trained.py`), against what transformers does with it
/// and what CTranslate2 does with its conversion (`trained/golden.json`, written by that script).
@Suite struct TrainedDirectoryTests {
    struct Case: Decodable {
        let source: String
        let source_ids: [Int]
        let greedy_ids: [Int]
        let ctranslate2_greedy_ids: [Int]
    }

    struct Golden: Decodable {
        let pad_row_max_abs: Double
        let cases: [Case]
    }

    /// transformers loads the directory (its `<pad>` row is zero there), tokenizes as our codec
    /// does, and its greedy translations are ours, id for id; so are CTranslate2's after
    /// `ct2-transformers-converter`.
    @Test func transformersAndCTranslate2DecodeOurTrainedDirectoryAsWeDo() throws {
        let root = MarianFixtures.root.appendingPathComponent("trained")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: root.appendingPathComponent("golden.json")))
        let path = root.appendingPathComponent("model").path
        let model = try MarianDirectory.load(path, logger: quietLogger)
        let codec = try MarianDirectory.loadCodec(path)
        #expect(golden.pad_row_max_abs == 0)
        #expect(golden.cases.count == 17)
        let sources = try golden.cases.map { try codec.encode($0.source, maxTokens: 100) }
        #expect(sources == golden.cases.map(\.source_ids))
        let outputs = GreedySearch.decode(model, sources, maxLengths: sources.map { _ in 16 })
        #expect(outputs.map(\.ids) == golden.cases.map(\.greedy_ids))
        #expect(outputs.map(\.ids) == golden.cases.map(\.ctranslate2_greedy_ids))
    }
}

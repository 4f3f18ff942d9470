import Foundation
import Logging
import Tensor
import Text

@testable import Seq2Seq

/// The golden PyTorch model directory and cases copied from `shared/golden/gru-small` into
/// `Tests/Fixtures`.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gru-small")
    static let modelPath = directory.appendingPathComponent("model").path

    struct Case: Decodable {
        let source: String
        let source_tokens: [String]
        let source_ids: [Int]
        let encoder_final_state: [[Float]]
        let greedy_ids: [Int]
        let greedy_tokens: [String]
        let d2l_0_17_greedy_ids: [Int]
        let reference: String?
        let teacher_input_ids: [Int]?
        let teacher_logits: [[Float]]?
    }

    struct Cases: Decodable {
        let max_len: Int
        let cases: [Case]
    }

    static let cases = try! JSONDecoder().decode(
        Cases.self, from: Data(contentsOf: directory.appendingPathComponent("cases.json")))
    static let model = try! GRUDirectory.load(modelPath, logger: Logger(label: "test"))
}

/// A randomly initialised model with synthetic vocabularies of the given sizes.
func randomModel(
    embed: Int, hidden: Int, layers: Int, sourceVocabulary: Int, targetVocabulary: Int, maxLen: Int = 12, seed: UInt64 = 1,
    eosBias: Float = 0, logitScale: Float = 1
) -> GRUModel {
    let config = ModelConfig(
        embedSize: embed, numHiddens: hidden, numLayers: layers, srcVocabSize: sourceVocabulary,
        tgtVocabSize: targetVocabulary, maxLen: maxLen)
    var rng = SeededGenerator(seed: seed)
    func vocabulary(_ n: Int) -> Vocabulary {
        try! Vocabulary(tokens: Vocabulary.reservedTokens + (Vocabulary.reservedTokens.count..<n).map { "w\($0)" })
    }
    var weights = Seq2SeqWeights(randomFor: config, using: &rng)
    // Raising <eos>'s bias (id 2 in these vocabularies) makes decodes stop at varied lengths.
    weights.denseBias[0, 2] += eosBias
    // Larger output weights make the choice of token depend more on the state.
    weights.denseWeight.storage = weights.denseWeight.storage.map { $0 * logitScale }
    return GRUModel(
        config: config, weights: weights,
        sourceVocabulary: vocabulary(sourceVocabulary), targetVocabulary: vocabulary(targetVocabulary))
}

/// Random source id sequences (tokens then `<eos>`) of lengths in `lengths`.
func randomSources(_ model: GRUModel, count: Int, lengths: ClosedRange<Int>, seed: UInt64) -> [[Int]] {
    var rng = SeededGenerator(seed: seed)
    let v = model.config.srcVocabSize
    return (0..<count).map { _ in
        let n = Int.random(in: lengths, using: &rng)
        return (0..<n).map { _ in Int.random(in: 3..<v, using: &rng) } + [model.sourceVocabulary.eos]
    }
}

extension TranslationModel {
    /// Greedy ids of `sources` under one length limit.
    func greedy(_ sources: [[Int]], maxLength: Int) -> [[Int]] {
        GreedySearch.decode(self, sources, maxLengths: sources.map { _ in maxLength }).map(\.ids)
    }

    /// Beam-search ids of `sources` under one length limit.
    func beam(_ sources: [[Int]], width: Int, maxLength: Int, lengthPenalty: Double = 0.75) -> [[Int]] {
        BeamSearch.decode(self, sources, beamWidth: width, maxLengths: sources.map { _ in maxLength }, lengthPenalty: lengthPenalty)
            .map(\.ids)
    }
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

import Foundation
import Tensor
import Testing

@testable import Seq2Seq

/// Properties of decoding that hold for any weights, checked on random models of several shapes.
@Suite struct DecodingPropertyTests {
    static let shapes: [(embed: Int, hidden: Int, layers: Int)] = [(8, 16, 1), (16, 8, 3), (12, 12, 2)]

    @Test(arguments: shapes.indices)
    func stepByStepDecodingGivesTheTeacherForcedLogits(shape: Int) {
        let (e, h, l) = Self.shapes[shape]
        let model = randomModel(embed: e, hidden: h, layers: l, sourceVocabulary: 30, targetVocabulary: 40, seed: UInt64(shape))
        let sources = randomSources(model, count: 9, lengths: 1...7, seed: 11)
        var rng = SeededGenerator(seed: 5)
        let targets = (0..<9).map { _ in [model.targetVocabulary.bos] + (0..<Int.random(in: 0...6, using: &rng)).map { _ in Int.random(in: 3..<40, using: &rng) } }
        let forced = model.teacherForcedLogits(sources: sources, targetInputs: targets)
        for (i, target) in targets.enumerated() {
            var state = model.startDecoding([sources[i]])
            var stepped: [Float] = []
            for token in target {
                var logits = [Float](repeating: 0, count: 40)
                logits.withUnsafeMutableBufferPointer { model.step(tokens: [token], state: &state, logits: $0.baseAddress!) }
                stepped += logits
            }
            #expect(maxAbsDifference(stepped, forced[i].storage) < 1e-5)
        }
    }

    @Test(arguments: shapes.indices)
    func aSentenceDecodesTheSameAloneAndInABatchOf64(shape: Int) {
        let (e, h, l) = Self.shapes[shape]
        let model = randomModel(embed: e, hidden: h, layers: l, sourceVocabulary: 50, targetVocabulary: 30, seed: 40 + UInt64(shape), eosBias: 1, logitScale: 4)
        let sources = randomSources(model, count: 64, lengths: 1...15, seed: 3)
        let batched = model.greedy(sources, maxLength: 12)
        let encoded = model.encode(sources)
        for (i, source) in sources.enumerated() {
            #expect(model.greedy([source], maxLength: 12)[0] == batched[i])
            let alone = model.encode([source])
            for layer in 0..<l {
                #expect(maxAbsDifference(alone[layer].storage, encoded[layer].row(i)) < 1e-6)
            }
        }
        // Not a degenerate model: outputs vary in length and content.
        #expect(Set(batched.map(\.count)).count > 1, "\(batched.map(\.count))")
        #expect(Set(batched).count > 3, "\(batched)")
    }

    @Test(arguments: shapes.indices)
    func beamOfWidthOneIsGreedy(shape: Int) {
        let (e, h, l) = Self.shapes[shape]
        let model = randomModel(embed: e, hidden: h, layers: l, sourceVocabulary: 25, targetVocabulary: 20, seed: 70 + UInt64(shape), eosBias: 1, logitScale: 4)
        let sources = randomSources(model, count: 32, lengths: 1...9, seed: 8)
        #expect(model.beam(sources, width: 1, maxLength: 10) == model.greedy(sources, maxLength: 10))
    }

    @Test func wideBeamFindsTheBestSequenceThatBruteForceFinds() {
        // Vocabulary of 5 (<pad>, <bos>, <eos>, <unk>, one word) and a maximum length of 4.
        let maxLength = 4
        for seed in UInt64(0)..<6 {
            let model = randomModel(embed: 6, hidden: 7, layers: 2, sourceVocabulary: 9, targetVocabulary: 5, seed: seed)
            let source = randomSources(model, count: 1, lengths: 2...5, seed: seed)[0]
            let eos = model.targetVocabulary.eos
            // Every sequence the decoder can emit: up to 4 non-<eos> tokens, then <eos> unless 4 long.
            var sequences: [[Int]] = [[]]
            var frontier: [[Int]] = [[]]
            for _ in 0..<maxLength {
                frontier = frontier.flatMap { prefix in (0..<5).filter { $0 != eos }.map { prefix + [$0] } }
                sequences += frontier
            }
            func score(_ tokens: [Int]) -> Double {
                let scored = tokens.count == maxLength ? tokens : tokens + [eos]
                let logits = model.teacherForcedLogits(
                    sources: [source], targetInputs: [[model.targetVocabulary.bos] + scored.dropLast()])[0]
                var logP = 0.0
                for (t, token) in scored.enumerated() {
                    let row = logits.row(t).map(Double.init)
                    let m = row.max()!
                    logP += row[token] - m - log(row.map { exp($0 - m) }.reduce(0, +))
                }
                return logP / pow(Double(scored.count), 0.75)
            }
            let best = sequences.max { score($0) < score($1) }!
            #expect(sequences.count == 1 + 4 + 16 + 64 + 256)
            #expect(model.beam([source], width: 400, maxLength: maxLength)[0] == best)
        }
    }
}

import Tensor
import Testing

@testable import Seq2Seq

/// Properties of Transformer decoding that hold for any weights, on the fixture models.
@Suite struct TransformerPropertyTests {
    /// 64 random sources of 1 to 30 ids (then `</s>`), the same every run.
    func sources(_ model: TransformerModel, seed: UInt64) -> [[Int]] {
        var rng = SeededGenerator(seed: seed)
        let special = Set([model.eosID, model.config.padTokenID])
        return (0..<64).map { _ in
            (0..<Int.random(in: 1...30, using: &rng)).map { _ in
                var id = model.eosID
                while special.contains(id) { id = Int.random(in: 0..<model.sourceVocabularySize, using: &rng) }
                return id
            } + [model.eosID]
        }
    }

    @Test(arguments: TransformerFixtures.names)
    func aSentenceDecodesTheSameAloneAndInABatchOf64MixedLengths(name: String) throws {
        let (model, _) = try TransformerFixtures.load(name)
        let sources = sources(model, seed: 3)
        let encoded = model.encode(sources)
        var row = 0
        let greedy = model.greedy(sources, maxLength: 20)
        let beam = model.beam(sources, width: 3, maxLength: 12, lengthPenalty: 1)
        for (i, source) in sources.enumerated() {
            let alone = model.encode([source])
            #expect(maxAbsDifference(alone.storage, Array(encoded.storage[(row * model.width)..<((row + source.count) * model.width)])) < 1e-5)
            row += source.count
            #expect(model.greedy([source], maxLength: 20)[0] == greedy[i])
            #expect(model.beam([source], width: 3, maxLength: 12, lengthPenalty: 1)[0] == beam[i])
        }
        #expect(Set(greedy.map(\.count)).count > 2, "\(greedy.map(\.count))")
    }

    @Test(arguments: TransformerFixtures.names)
    func beamOfWidthOneIsGreedy(name: String) throws {
        let (model, _) = try TransformerFixtures.load(name)
        let sources = sources(model, seed: 9)
        #expect(model.beam(sources, width: 1, maxLength: 15, lengthPenalty: 1) == model.greedy(sources, maxLength: 15))
    }

    @Test(arguments: TransformerFixtures.names)
    func padIsNeverGeneratedAndTheLimitHolds(name: String) throws {
        let (model, _) = try TransformerFixtures.load(name)
        let sources = sources(model, seed: 21)
        for limit in [1, 2, 7] {
            for ids in model.greedy(sources, maxLength: limit) + model.beam(sources, width: 4, maxLength: limit, lengthPenalty: 1) {
                #expect(!ids.contains(model.config.padTokenID))
                // With forced_eos_token_id the last allowed token is </s>, so at most limit − 1 others.
                #expect(ids.count <= (model.forcesEOSAtLimit ? limit - 1 : limit))
            }
        }
    }
}

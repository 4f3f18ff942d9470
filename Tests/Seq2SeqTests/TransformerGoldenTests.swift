import Testing
import Text

@testable import Seq2Seq

/// The Transformer against transformers' `MarianMTModel` on the fixture models: encoder
/// output and logits within 1e-4, greedy and beam ids exact.
@Suite struct TransformerGoldenTests {
    @Test(arguments: TransformerFixtures.names)
    func encoderOutputAndTeacherForcedLogitsMatchTransformers(name: String) throws {
        let (model, _) = try TransformerFixtures.load(name)
        let golden = try TransformerFixtures.golden(name)
        #expect(!golden.forward.isEmpty)
        for forward in golden.forward {
            let encoded = model.encode([forward.source_ids])
            #expect(maxAbsDifference(encoded.storage, forward.encoder_output.flatMap { $0 }) < 1e-4)
            var state = model.startDecoding([forward.source_ids])
            var stepped: [Float] = []
            for token in forward.decoder_input_ids {
                var logits = [Float](repeating: 0, count: model.targetVocabularySize)
                logits.withUnsafeMutableBufferPointer { model.step(tokens: [token], state: &state, logits: $0.baseAddress!) }
                stepped += logits
            }
            #expect(maxAbsDifference(stepped, forward.logits.flatMap { $0 }) < 1e-4)
        }
    }

    @Test(arguments: TransformerFixtures.names)
    func sourceIDsAndGreedyIDsMatchTransformers(name: String) throws {
        let (model, codec) = try TransformerFixtures.load(name)
        let golden = try TransformerFixtures.golden(name)
        #expect(golden.cases.count >= 50)
        let sources = golden.cases.map(\.source_ids)
        for c in golden.cases { #expect(try codec.encode(c.source, maxTokens: .max) == c.source_ids, "\(c.source)") }
        let batched = model.greedy(sources, maxLength: golden.max_new_tokens)
        for (i, c) in golden.cases.enumerated() {
            #expect(batched[i] == c.greedy_ids, "\(c.source)")
            #expect(codec.decode(batched[i]) == c.greedy_text, "\(c.source)")
        }
        // Not degenerate: some stop at </s>, some at the length limit.
        #expect(Set(golden.cases.map(\.greedy_ids.count)).count > 3)
    }

    @Test(arguments: TransformerFixtures.names)
    func beamIDsMatchTransformers(name: String) throws {
        let (model, _) = try TransformerFixtures.load(name)
        let golden = try TransformerFixtures.golden(name)
        let sources = golden.cases.map(\.source_ids)
        let limits = sources.map { _ in golden.max_new_tokens }
        let beams = BeamSearch.decode(model, sources, beamWidth: golden.num_beams, maxLengths: limits, lengthPenalty: golden.length_penalty)
        let shorter = BeamSearch.decode(model, sources, beamWidth: golden.num_beams, maxLengths: limits, lengthPenalty: 0.6)
        for (i, c) in golden.cases.enumerated() {
            #expect(beams[i].ids == c.beam_ids, "\(c.source)")
            #expect(abs(beams[i].score - c.beam_score) < 1e-4, "\(c.source)")
            #expect(shorter[i].ids == c.beam_ids_lp06, "\(c.source) (length penalty 0.6)")
        }
        // Beam search finds other translations than greedy search on these models.
        #expect(golden.cases.filter { $0.beam_ids != $0.greedy_ids }.count >= 5)
    }
}

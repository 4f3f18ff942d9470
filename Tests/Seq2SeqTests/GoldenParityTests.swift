import Tensor
import Testing
import Text

@testable import Seq2Seq

/// The Swift model against vectors from the independent PyTorch implementation.
@Suite struct GoldenParityTests {
    let model = Golden.model
    let cases = Golden.cases.cases

    @Test func preprocessingGivesTheGoldenSourceIDs() throws {
        for c in cases {
            #expect(tokenize(preprocess(c.source)) == c.source_tokens, "\(c.source)")
            #expect(model.sourceIDs(c.source_tokens) == c.source_ids, "\(c.source)")
            if c.source_tokens.isEmpty {
                // Blank text is an error for users, though the model can run it.
                #expect(throws: SegmentError.empty) { try model.codec.encode(c.source, maxTokens: .max) }
            } else {
                #expect(try model.codec.encode(c.source, maxTokens: .max) == c.source_ids, "\(c.source)")
            }
        }
    }

    @Test func encoderFinalStatesMatchPyTorch() {
        let states = model.encode(cases.map(\.source_ids))
        for (i, c) in cases.enumerated() {
            for (l, expected) in c.encoder_final_state.enumerated() {
                #expect(maxAbsDifference(states[l].row(i), expected) < 1e-4, "\(c.source) layer \(l)")
            }
        }
    }

    @Test func greedyIDsMatchPyTorchForEveryCase() {
        let batched = model.greedy(cases.map(\.source_ids), maxLength: Golden.cases.max_len)
        for (i, c) in cases.enumerated() {
            #expect(batched[i] == c.greedy_ids, "\(c.source)")
            #expect(model.greedy([c.source_ids], maxLength: Golden.cases.max_len)[0] == c.greedy_ids)
            #expect(model.codec.targetTokens(batched[i]) == c.greedy_tokens)
        }
        // The golden set includes the cases where d2l 0.17's prediction bug changes the output.
        #expect(cases.filter { $0.greedy_ids != $0.d2l_0_17_greedy_ids }.count == 12)
    }

    @Test func teacherForcedLogitsMatchPyTorch() {
        let forced = cases.filter { $0.teacher_logits != nil }
        #expect(forced.count == 40)
        let sequence = model.teacherForcedLogits(sources: forced.map(\.source_ids), targetInputs: forced.map { $0.teacher_input_ids! })
        for (i, c) in forced.enumerated() {
            let expected = c.teacher_logits!.flatMap { $0 }
            #expect(maxAbsDifference(sequence[i].storage, expected) < 1e-4, "\(c.source) (whole sequence)")
            // Step by step, as the decoder runs during prediction.
            var state = model.startDecoding([c.source_ids])
            var stepped: [Float] = []
            for token in c.teacher_input_ids! {
                var logits = [Float](repeating: 0, count: model.config.tgtVocabSize)
                logits.withUnsafeMutableBufferPointer { model.step(tokens: [token], state: &state, logits: $0.baseAddress!) }
                stepped += logits
            }
            #expect(maxAbsDifference(stepped, expected) < 1e-4, "\(c.source) (step by step)")
        }
    }

    /// Translates a batch of texts as `translate` does; each gets its tokens or its error.
    func translate(_ texts: [String], maxInputTokens: Int = .max) -> [Result<[String], SegmentError>] {
        let sources = texts.map { text in Result { () throws(SegmentError) in try model.codec.encode(text, maxTokens: maxInputTokens) } }
        return model.decode(sources, options: DecodingOptions(maxLength: 10)).map { $0.map { model.codec.targetTokens($0.ids) } }
    }

    @Test func translationOfGoIsVa() throws {
        let out = translate(["Go.", "I lost."])
        #expect(try out[0].get() == ["va", "!"])
        #expect(try out[1].get() == ["j'ai", "perdu", "."])
        // Failures keep their place in the batch.
        let mixed = translate(["go .", " \t ", "go go go .", "I lost."], maxInputTokens: 3)
        #expect(try mixed[0].get() == ["va", "!"])
        #expect(throws: SegmentError.empty) { try mixed[1].get() }
        #expect(throws: SegmentError.tooLong(tokens: 4, limit: 3)) { try mixed[2].get() }
        #expect(try mixed[3].get() == ["j'ai", "perdu", "."])
    }
}

import Foundation
import Seq2Seq
import Tensor
import Testing

@testable import Training

/// The training forward pass computes what the inference model (and PyTorch) computes.
@Suite struct ParityTests {
    struct Case: Decodable {
        let source_ids: [Int]
        let teacher_input_ids: [Int]?
        let teacher_logits: [[Float]]?
    }

    struct Cases: Decodable { let cases: [Case] }

    @Test func forwardPassGivesTheGoldenTeacherForcedLogits() throws {
        let model = try GRUDirectory.load(Fixtures.goldenModel, logger: quietLogger)
        let cases = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: Fixtures.goldenCases)).cases
            .filter { $0.teacher_logits != nil }
        #expect(cases.count == 40)
        let eos = model.targetVocabulary.eos
        let examples = cases.map {
            Example(source: $0.source_ids, decoderInput: $0.teacher_input_ids!, labels: Array($0.teacher_input_ids!.dropFirst()) + [eos])
        }
        var rng = SeededGenerator(seed: 1)
        let pass = ForwardPass(weights: model.weights, batch: examples, dropout: 0, rng: &rng)
        let training = pass.logitsPerExample()
        let inference = model.teacherForcedLogits(sources: cases.map(\.source_ids), targetInputs: cases.map { $0.teacher_input_ids! })
        for (i, c) in cases.enumerated() {
            #expect(maxAbsDifference(training[i].storage, inference[i].storage) < 1e-4)
            #expect(maxAbsDifference(training[i].storage, c.teacher_logits!.flatMap { $0 }) < 1e-4)
        }
        #expect(pass.loss.isFinite && pass.loss > 0)
    }
}

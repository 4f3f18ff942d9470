import Foundation
import Seq2Seq
import Tensor
import Testing

@testable import Training

/// Training the Transformer end to end on tiny data: Adam, clipping and the schedule.
@Suite struct TransformerOptimizationTests {
    @Test func scheduleWarmsUpThenDecaysAsInverseSquareRoot() {
        let schedule = InverseSquareRootSchedule(peak: 1e-3, warmupSteps: 100)
        #expect(abs(schedule.learningRate(step: 1) - 1e-5) < 1e-12)
        #expect(abs(schedule.learningRate(step: 50) - 5e-4) < 1e-12)
        #expect(abs(schedule.learningRate(step: 100) - 1e-3) < 1e-12)
        #expect(abs(schedule.learningRate(step: 400) - 5e-4) < 1e-12)
    }

    /// Six pairs learnt by heart: after 300 updates (Adam β₂ 0.98, clipping at 1, warm-up 30,
    /// label smoothing 0.1, dropout 0.1) the plain cross-entropy has fallen from above 2 to below
    /// 0.15 nats per token (label smoothing puts its optimum at −log(0.9 + 0.1/11) ≈ 0.095), and the inference model built from the trained tensors translates every source into its
    /// target by greedy search.
    @Test func overfitsAFewPairs() throws {
        let json = """
            {"model_type": "marian", "d_model": 32, "encoder_layers": 2, "decoder_layers": 2,
             "encoder_attention_heads": 4, "decoder_attention_heads": 4, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64,
             "activation_function": "swish", "vocab_size": 11, "scale_embedding": true, "max_position_embeddings": 32,
             "pad_token_id": 10, "eos_token_id": 0, "decoder_start_token_id": 10}
            """
        let config = try JSONDecoder().decode(MarianConfig.self, from: Data(json.utf8))
        var rng = SeededGenerator(seed: 1)
        var parameters = TransformerParameters(randomFor: TransformerLayout(config: config), std: 0.1, using: &rng)
        let examples = randomTransformerExamples(count: 6, maxLength: 6, seed: 11)
        var adam = Adam(learningRate: 0, beta2: 0.98, epsilon: 1e-9, for: parameters)
        let schedule = InverseSquareRootSchedule(peak: 3e-3, warmupSteps: 30)
        var dropout = SeededGenerator(seed: 2)
        var unused = SeededGenerator(seed: 0)
        let initial = TransformerForwardPass(parameters: parameters, batch: examples, labelSmoothing: 0, dropout: 0, rng: &unused)
        #expect(initial.negativeLogLikelihood > 2)
        for step in 1...300 {
            let pass = TransformerForwardPass(parameters: parameters, batch: examples, labelSmoothing: 0.1, dropout: 0.1, rng: &dropout)
            var grads = pass.gradients()
            clipGlobalNorm(&grads, maxNorm: 1)
            adam.learningRate = Float(schedule.learningRate(step: step))
            adam.update(&parameters, with: grads)
        }
        #expect(parameters.values[(10 * 32)..<(11 * 32)].allSatisfy { $0 == 0 }, "the <pad> row stays zero")
        let final = TransformerForwardPass(parameters: parameters, batch: examples, labelSmoothing: 0, dropout: 0, rng: &unused)
        #expect(final.negativeLogLikelihood < 0.15, "loss \(final.negativeLogLikelihood)")
        let model = try TransformerModel(config: config, tensors: parameters.tensors)
        let outputs = GreedySearch.decode(model, examples.map(\.source), maxLengths: examples.map { _ in 10 })
        #expect(outputs.map(\.ids) == examples.map { Array($0.labels.dropLast()) })
    }
}

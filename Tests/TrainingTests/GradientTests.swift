import Seq2Seq
import Tensor
import Testing

@testable import Training

/// Back-propagation against finite differences, for every parameter tensor.
@Suite struct GradientTests {
    /// Loss of `examples` under `weights`, with the dropout masks of `seed` (the same masks
    /// on every call).
    func loss(_ weights: Seq2SeqWeights, _ examples: [Example], dropout: Float) -> Double {
        var rng = SeededGenerator(seed: 99)
        return ForwardPass(weights: weights, batch: examples, dropout: dropout, rng: &rng).loss
    }

    @Test(arguments: [Float(0), 0.3])
    func gradientsMatchCentralDifferences(dropout: Float) {
        let weights = tinyWeights()
        let examples = randomExamples(count: 5, sourceVocabulary: 7, targetVocabulary: 8, maxLength: 5, seed: 3)
        var rng = SeededGenerator(seed: 99)
        let grads = ForwardPass(weights: weights, batch: examples, dropout: dropout, rng: &rng).gradients()
        let eps: Float = 1e-2
        var names: [String] = []
        for parameter in weights.parameters {
            names.append(parameter.name)
            let analytic = grads[keyPath: parameter.path].storage
            var worst: Double = 0
            for i in analytic.indices {
                var plus = weights
                plus[keyPath: parameter.path].storage[i] += eps
                var minus = weights
                minus[keyPath: parameter.path].storage[i] -= eps
                let numeric = (loss(plus, examples, dropout: dropout) - loss(minus, examples, dropout: dropout)) / Double(2 * eps)
                worst = max(worst, abs(numeric - Double(analytic[i])) / max(1e-2, abs(numeric)))
            }
            #expect(worst < 2e-2, "\(parameter.name): relative error \(worst)")
            // A tensor whose gradient is all zero would pass vacuously.
            #expect(analytic.contains { $0 != 0 }, "\(parameter.name) has no gradient")
        }
        #expect(names.count == 2 + 2 * 2 * 4 + 2)
    }
}

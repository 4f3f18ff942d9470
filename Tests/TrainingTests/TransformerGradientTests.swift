import Seq2Seq
import Tensor
import Testing

@testable import Training

/// Back-propagation through the training Transformer against central finite differences, on
/// every parameter tensor of tiny models.
@Suite struct TransformerGradientTests {
    struct Setting: CustomTestStringConvertible, Sendable {
        let activation: String
        let shared: Bool
        let scale: Bool
        let dropout: Float
        let smoothing: Float
        var testDescription: String { "\(activation), \(shared ? "shared" : "separate") embeddings, dropout \(dropout), ε \(smoothing)" }
    }

    static let settings = [
        Setting(activation: "swish", shared: true, scale: true, dropout: 0, smoothing: 0.1),
        Setting(activation: "gelu", shared: false, scale: false, dropout: 0.2, smoothing: 0),
        Setting(activation: "relu", shared: true, scale: true, dropout: 0.1, smoothing: 0.1),
    ]

    /// The loss with the dropout masks of seed 99 (the same masks on every call).
    func loss(_ parameters: TransformerParameters, _ examples: [Example], _ setting: Setting) -> Double {
        var rng = SeededGenerator(seed: 99)
        return TransformerForwardPass(
            parameters: parameters, batch: examples, labelSmoothing: setting.smoothing, dropout: setting.dropout, rng: &rng
        ).loss
    }

    /// For every tensor, 6 entries (the largest gradient, the others drawn at random) are
    /// checked: `|numeric − analytic| ≤ 1e-2 · max(|numeric|, |analytic|) + 1e-4`, with
    /// central differences of step 1e-2 on a float32 forward pass whose loss is summed in double.
    @Test(arguments: settings)
    func gradientsMatchCentralDifferences(setting: Setting) {
        let config = tinyMarianConfig(activation: setting.activation, shared: setting.shared, scale: setting.scale)
        let parameters = tinyTransformerParameters(config)
        let examples = randomTransformerExamples(count: 4, maxLength: 5, seed: 3)
        var rng = SeededGenerator(seed: 99)
        let grads = TransformerForwardPass(
            parameters: parameters, batch: examples, labelSmoothing: setting.smoothing, dropout: setting.dropout, rng: &rng
        ).gradients()
        var pick = SeededGenerator(seed: 1)
        let eps: Float = 1e-2
        var checked = 0
        let layout = parameters.layout
        for slot in layout.slots {
            // The `<pad>` rows' gradients are zeroed on purpose (``padRowsGetNoGradient``).
            let padRow = config.padTokenID * config.dModel
            let isEmbedding = [layout.sourceEmbedding, layout.targetEmbedding].contains(slot.offset)
            func excluded(_ i: Int) -> Bool { isEmbedding && (padRow..<(padRow + config.dModel)).contains(i) }
            let analytic = Array(grads.values[slot.offset..<(slot.offset + slot.count)])
            #expect(analytic.contains { $0 != 0 }, "\(slot.name) has no gradient")
            let largest = analytic.indices.max { abs(analytic[$0]) < abs(analytic[$1]) }!
            var entries = [largest]
            while entries.count < 6 {
                let i = Int(pick.next() % UInt64(slot.count))
                if !excluded(i) { entries.append(i) }
            }
            for i in entries {
                var plus = parameters
                plus.values[slot.offset + i] += eps
                var minus = parameters
                minus.values[slot.offset + i] -= eps
                let numeric = (loss(plus, examples, setting) - loss(minus, examples, setting)) / Double(2 * eps)
                let a = Double(analytic[i])
                #expect(
                    abs(numeric - a) <= 1e-2 * max(abs(numeric), abs(a)) + 1e-4,
                    "\(slot.name)[\(i)]: analytic \(a), numeric \(numeric)")
                checked += 1
            }
        }
        let expectedTensors = (setting.shared ? 1 : 2) + 2 * 16 + 2 * 26 + 1
        #expect(parameters.layout.slots.count == expectedTensors)
        #expect(checked == 6 * expectedTensors)
    }

    /// The `<pad>` rows of the embeddings get no gradient, so training keeps them zero.
    @Test func padRowsGetNoGradient() {
        let config = tinyMarianConfig(shared: false)
        let parameters = tinyTransformerParameters(config)
        var rng = SeededGenerator(seed: 1)
        let grads = TransformerForwardPass(
            parameters: parameters, batch: randomTransformerExamples(count: 3, maxLength: 4, seed: 2), labelSmoothing: 0.1,
            dropout: 0, rng: &rng
        ).gradients()
        let layout = parameters.layout
        for table in [layout.sourceEmbedding, layout.targetEmbedding] {
            #expect(grads.values[(table + 10 * 8)..<(table + 11 * 8)].allSatisfy { $0 == 0 })
        }
    }
}

/// A mini-batch computed in shards gives the gradient of the whole batch.
@Suite struct TransformerShardingTests {
    /// Without dropout, 1, 2 and 3 shards give the same loss (1e-6) and gradients (1e-6 of the
    /// largest entry) as one forward pass over the batch; the same shards give the same bits.
    @Test func shardsSumToTheBatchGradient() {
        let parameters = tinyTransformerParameters(tinyMarianConfig())
        let batch = randomTransformerExamples(count: 7, maxLength: 6, seed: 4)
        var rng = SeededGenerator(seed: 0)
        let whole = TransformerForwardPass(parameters: parameters, batch: batch, labelSmoothing: 0.1, dropout: 0, rng: &rng)
        let expected = whole.gradients().values
        let largest = expected.map(abs).max()!
        for shards in 1...3 {
            let step = TransformerTrainingStep(parameters: parameters, batch: batch, shards: shards, labelSmoothing: 0.1, dropout: 0, seed: 1)
            #expect(step.tokenCount == whole.tokenCount)
            #expect(abs(step.loss - whole.loss) < 1e-6 && abs(step.negativeLogLikelihood - whole.negativeLogLikelihood) < 1e-6)
            #expect(maxAbsDifference(step.gradients.values, expected) <= 1e-6 * largest, "\(shards) shards")
            let again = TransformerTrainingStep(parameters: parameters, batch: batch, shards: shards, labelSmoothing: 0.1, dropout: 0.2, seed: 1)
            let twice = TransformerTrainingStep(parameters: parameters, batch: batch, shards: shards, labelSmoothing: 0.1, dropout: 0.2, seed: 1)
            #expect(again.gradients.values == twice.gradients.values)
        }
    }
}

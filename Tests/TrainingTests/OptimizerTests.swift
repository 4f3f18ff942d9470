import Seq2Seq
import Tensor
import Testing

@testable import Training

/// Adam and gradient clipping against hand-computed values.
@Suite struct OptimizerTests {
    /// Weights and gradients with every value `value`.
    func filled(_ value: Float) -> Seq2SeqWeights {
        var w = tinyWeights()
        for p in w.parameters { w[keyPath: p.path].storage = w[keyPath: p.path].storage.map { _ in value } }
        return w
    }

    @Test func adamStepsMatchPyTorch() {
        var weights = filled(1)
        var adam = Adam(learningRate: 0.1, for: weights)
        // The first step moves every weight by lr against the sign of its gradient.
        adam.update(&weights, with: filled(0.5))
        #expect(weights.parameters.allSatisfy { p in weights[keyPath: p.path].storage.allSatisfy { abs($0 - 0.9) < 1e-6 } })
        // Second step with gradient −0.5: m = 0.9·0.05 − 0.05 = −0.005,
        // v = 0.999·0.00025 + 0.00025, θ −= lr / (1 − 0.9²) · m / (√v / √(1 − 0.999²)).
        adam.update(&weights, with: filled(-0.5))
        let v: Double = 0.999 * 0.00025 + 0.00025
        let expected = Float(0.9 + 0.1 / 0.19 * 0.005 / (v.squareRoot() / (1 - 0.999 * 0.999).squareRoot()))
        #expect(abs(weights.denseBias[0, 0] - expected) < 1e-6)
        #expect(adam.step == 2)
    }

    @Test func clippingScalesToTheGlobalNorm() {
        var grads = filled(2)
        let count = grads.parameters.map { grads[keyPath: $0.path].storage.count }.reduce(0, +)
        let norm = clipGlobalNorm(&grads, maxNorm: 1)
        #expect(abs(norm - 2 * Float(count).squareRoot()) < 1e-3)
        let after = clipGlobalNorm(&grads, maxNorm: 1)
        #expect(abs(after - 1) < 1e-4)
        // Below the limit nothing changes.
        var small = filled(1e-4)
        clipGlobalNorm(&small, maxNorm: 1)
        #expect(small == filled(1e-4))
    }
}

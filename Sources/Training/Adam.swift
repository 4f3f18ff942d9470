import Foundation
import Seq2Seq
import Tensor

/// The Adam optimiser (PyTorch's defaults `β₁ = 0.9`, `β₂ = 0.999`, `ε = 1e-8` unless given;
/// no weight decay), updating every parameter buffer of a ``ParameterTensors`` densely as
/// `torch.optim.Adam` does:
///
///     m ← β₁ m + (1 − β₁) g    v ← β₂ v + (1 − β₂) g²
///     θ ← θ − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// `learningRate` may change between updates (a schedule sets it before each one).
public struct Adam: Sendable {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    /// Updates done so far, `t`.
    public internal(set) var step: Int
    /// First moments, one buffer per parameter buffer.
    public internal(set) var firstMoments: [[Float]]
    /// Second moments, likewise.
    public internal(set) var secondMoments: [[Float]]

    /// A fresh optimiser for parameters shaped like `weights`.
    public init(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, for weights: some ParameterTensors) {
        self.init(
            learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, step: 0,
            firstMoments: weights.tensorSizes.map { [Float](repeating: 0, count: $0) },
            secondMoments: weights.tensorSizes.map { [Float](repeating: 0, count: $0) })
    }

    /// An optimiser resumed from saved moments (shapes are checked by the caller).
    public init(
        learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, step: Int, firstMoments: [[Float]],
        secondMoments: [[Float]]
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.step = step
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }

    /// One update of `weights` with `grads` (same shapes).
    public mutating func update<P: ParameterTensors>(_ weights: inout P, with grads: P) {
        step += 1
        let t = Float(step)
        let stepSize = learningRate / (1 - powf(beta1, t))
        let correction2 = (1 - powf(beta2, t)).squareRoot()
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for k in 0..<weights.tensorCount {
            grads.withTensor(k) { g in
                weights.withMutableTensor(k) { p in
                    firstMoments[k].withUnsafeMutableBufferPointer { m in
                        secondMoments[k].withUnsafeMutableBufferPointer { v in
                            // Element by element, so the halves run side by side with the same result.
                            let (g, p, m, v) = (g, p, m, v)
                            forEachChunk(of: g.count) { _, range in
                                for i in range {
                                    m[i] = b1 * m[i] + (1 - b1) * g[i]
                                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                                    p[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2 + eps)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

import Foundation
import Seq2Seq
import Tensor

/// The Adam optimiser with PyTorch's defaults (`β₁ = 0.9`, `β₂ = 0.999`, `ε = 1e-8`, no
/// weight decay), updating every parameter tensor of a ``Seq2SeqWeights`` densely as
/// `torch.optim.Adam` does:
///
///     m ← β₁ m + (1 − β₁) g    v ← β₂ v + (1 − β₂) g²
///     θ ← θ − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
public struct Adam: Sendable {
    public var learningRate: Float
    public let beta1: Float = 0.9
    public let beta2: Float = 0.999
    public let epsilon: Float = 1e-8
    /// Updates done so far, `t`.
    public internal(set) var step: Int
    /// First moments, one tensor per parameter in ``Seq2SeqWeights/parameters`` order.
    public internal(set) var firstMoments: [[Float]]
    /// Second moments, likewise.
    public internal(set) var secondMoments: [[Float]]

    /// A fresh optimiser for parameters shaped like `weights`.
    public init(learningRate: Float, for weights: Seq2SeqWeights) {
        self.learningRate = learningRate
        step = 0
        firstMoments = weights.parameters.map { [Float](repeating: 0, count: weights[keyPath: $0.path].storage.count) }
        secondMoments = firstMoments
    }

    /// An optimiser resumed from saved moments (shapes are checked by the caller).
    public init(learningRate: Float, step: Int, firstMoments: [[Float]], secondMoments: [[Float]]) {
        self.learningRate = learningRate
        self.step = step
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }

    /// One update of `weights` with `grads` (same shapes).
    public mutating func update(_ weights: inout Seq2SeqWeights, with grads: Seq2SeqWeights) {
        step += 1
        let t = Float(step)
        let stepSize = learningRate / (1 - powf(beta1, t))
        let correction2 = (1 - powf(beta2, t)).squareRoot()
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for (k, parameter) in weights.parameters.enumerated() {
            grads[keyPath: parameter.path].storage.withUnsafeBufferPointer { g in
                weights[keyPath: parameter.path].storage.withUnsafeMutableBufferPointer { p in
                    firstMoments[k].withUnsafeMutableBufferPointer { m in
                        secondMoments[k].withUnsafeMutableBufferPointer { v in
                            for i in 0..<g.count {
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

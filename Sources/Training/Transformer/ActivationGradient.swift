import Foundation
import Seq2Seq
import Tensor

extension Activation {
    /// The activation of `count` pre-activations `x` into `y`.
    func forward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .swish:
            // The inference model's kernel, so that both compute the same values.
            y.update(from: x, count: count)
            VectorKernels.swish(y, count: count)
        case .relu:
            for i in 0..<count { y[i] = max(x[i], 0) }
        case .gelu:
            for i in 0..<count { y[i] = 0.5 * x[i] * (1 + erff(x[i] * 0.70710678118654752)) }
        }
    }

    /// Multiplies the gradients `dy` in place by the activation's derivative at `x`:
    /// swish `σ(x)(1 + x(1 − σ(x)))`, relu `[x > 0]`, gelu `Φ(x) + x·φ(x)`.
    func backward(_ dy: UnsafeMutablePointer<Float>, at x: UnsafePointer<Float>, count: Int) {
        switch self {
        case .swish:
            VectorKernels.swishBackward(dy, at: x, count: count)
        case .relu:
            for i in 0..<count where x[i] <= 0 { dy[i] = 0 }
        case .gelu:
            for i in 0..<count {
                let cdf = 0.5 * (1 + erff(x[i] * 0.70710678118654752))
                let pdf = expf(-0.5 * x[i] * x[i]) * 0.3989422804014327
                dy[i] *= cdf + x[i] * pdf
            }
        }
    }
}

import Foundation
import Seq2Seq

extension Activation {
    /// The activation of `count` pre-activations `x` into `y`.
    func forward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .swish:
            for i in 0..<count { y[i] = x[i] / (1 + expf(-x[i])) }
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
            for i in 0..<count {
                let s = 1 / (1 + expf(-x[i]))
                dy[i] *= s * (1 + x[i] * (1 - s))
            }
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

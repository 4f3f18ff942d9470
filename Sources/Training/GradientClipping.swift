import Seq2Seq

/// Scales `grads` so that their global L2 norm is at most `maxNorm`, as PyTorch's
/// `clip_grad_norm_` (factor `maxNorm / (norm + 1e-6)` when the norm exceeds it).
///
/// - Returns: the norm before clipping.
@discardableResult
public func clipGlobalNorm<P: ParameterTensors>(_ grads: inout P, maxNorm: Float) -> Float {
    var sum = 0.0
    for k in 0..<grads.tensorCount {
        grads.withTensor(k) { g in
            for x in g { sum += Double(x) * Double(x) }
        }
    }
    let norm = Float(sum.squareRoot())
    if norm > maxNorm {
        let scale = maxNorm / (norm + 1e-6)
        for k in 0..<grads.tensorCount {
            grads.withMutableTensor(k) { p in
                for i in 0..<p.count { p[i] *= scale }
            }
        }
    }
    return norm
}

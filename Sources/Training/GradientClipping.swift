import Seq2Seq

/// Scales `grads` so that their global L2 norm is at most `maxNorm`, as PyTorch's
/// `clip_grad_norm_` (factor `maxNorm / (norm + 1e-6)` when the norm exceeds it).
///
/// - Returns: the norm before clipping.
@discardableResult
public func clipGlobalNorm(_ grads: inout Seq2SeqWeights, maxNorm: Float) -> Float {
    var sum = 0.0
    for parameter in grads.parameters {
        for g in grads[keyPath: parameter.path].storage { sum += Double(g) * Double(g) }
    }
    let norm = Float(sum.squareRoot())
    if norm > maxNorm {
        let scale = maxNorm / (norm + 1e-6)
        for parameter in grads.parameters {
            grads[keyPath: parameter.path].storage.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] *= scale }
            }
        }
    }
    return norm
}

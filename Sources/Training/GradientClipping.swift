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
            // Partial sums per fixed chunk, added in chunk order: the same bits on every machine.
            var partial = [0.0, 0.0]
            partial.withUnsafeMutableBufferPointer { partial in
                let partial = partial
                forEachChunk(of: g.count, chunks: 2) { chunk, range in
                    var s = 0.0
                    for i in range { s += Double(g[i]) * Double(g[i]) }
                    partial[chunk] = s
                }
            }
            sum += partial[0] + partial[1]
        }
    }
    let norm = Float(sum.squareRoot())
    if norm > maxNorm {
        let scale = maxNorm / (norm + 1e-6)
        for k in 0..<grads.tensorCount {
            grads.withMutableTensor(k) { p in
                forEachChunk(of: p.count) { _, range in
                    for i in range { p[i] *= scale }
                }
            }
        }
    }
    return norm
}

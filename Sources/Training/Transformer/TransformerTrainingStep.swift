import Foundation
import Tensor

/// The loss and gradients of one mini-batch, computed in `shards` parts at once on as many
/// threads (each part's matrix products on one BLAS thread): on this 2-core machine most of a
/// step outside the large products (attention over short sentences, softmax, layer norms,
/// activations, dropout) would otherwise run on one core.
///
/// The examples are dealt to the shards in turn (examples come in length order, so the shards
/// get similar work); each shard's gradient is that of its mean loss times its share of the
/// batch's tokens, and the shards' gradients are summed in shard order, so the result is the
/// gradient of the batch's mean loss, the same on every run. Shard `k` draws its dropout
/// masks from `SeededGenerator(seed: seed &+ k)`. The shard count is part of the numerics (a
/// run keeps it), not of the machine.
public struct TransformerTrainingStep {
    /// The gradient of the batch's mean label-smoothed loss.
    public let gradients: TransformerParameters
    /// Mean label-smoothed cross-entropy over the batch's label tokens.
    public let loss: Double
    /// Mean plain cross-entropy over the label tokens.
    public let negativeLogLikelihood: Double
    /// Label tokens of the batch.
    public let tokenCount: Int

    /// - Precondition: at least one example per shard (fewer examples give fewer shards).
    public init(
        parameters: TransformerParameters, batch: [Example], shards: Int, labelSmoothing: Float, dropout: Float, seed: UInt64
    ) {
        precondition(!batch.isEmpty && shards >= 1)
        let count = min(shards, batch.count)
        let parts = (0..<count).map { k in stride(from: k, to: batch.count, by: count).map { batch[$0] } }
        let total = parts.reduce(0) { $0 + $1.reduce(0) { $0 + $1.labels.count } }
        var results = [(grads: TransformerParameters, loss: Double, nll: Double, tokens: Int)?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            let out = out
            DispatchQueue.concurrentPerform(iterations: count) { k in
                var rng = SeededGenerator(seed: seed &+ UInt64(k))
                let pass = TransformerForwardPass(
                    parameters: parameters, batch: parts[k], labelSmoothing: labelSmoothing, dropout: dropout, rng: &rng)
                let share = Float(pass.tokenCount) / Float(total)
                out[k] = (pass.gradients(scale: share), pass.loss, pass.negativeLogLikelihood, pass.tokenCount)
            }
        }
        var gradients = results[0]!.grads
        for part in results.dropFirst() {
            gradients.values.withUnsafeMutableBufferPointer { g in
                part!.grads.values.withUnsafeBufferPointer { x in
                    let g = g
                    forEachChunk(of: g.count) { _, range in
                        BLAS.axpy(n: range.count, alpha: 1, x: x.baseAddress! + range.lowerBound, y: g.baseAddress! + range.lowerBound)
                    }
                }
            }
        }
        self.gradients = gradients
        loss = results.reduce(0) { $0 + $1!.loss * Double($1!.tokens) } / Double(total)
        negativeLogLikelihood = results.reduce(0) { $0 + $1!.nll * Double($1!.tokens) } / Double(total)
        tokenCount = total
    }
}

import Foundation
import Tensor

/// Cross-entropy with label smoothing `ε`, as `torch.nn.CrossEntropyLoss(label_smoothing: ε)`
/// computes it, averaged over the label tokens (padding never enters: the rows are the
/// batch's label tokens only). For logits `z` of a row with label `y` and `V` classes:
///
///     loss = (1 − ε)·(lse(z) − z_y) + ε/V · Σ_c (lse(z) − z_c)
///
/// `ε = 0` is the plain cross-entropy.
struct LabelSmoothedCrossEntropy {
    /// `log Σ exp(z)` of each row.
    let logSumExp: [Float]
    /// The mean loss over the rows, in nats.
    let loss: Double
    /// The mean plain cross-entropy (`−log p(label)`) over the rows, in nats.
    let negativeLogLikelihood: Double
    let smoothing: Float

    /// The loss of `logits` (`N × V`) for `labels` (`N` ids).
    init(logits: Matrix, labels: [Int], smoothing: Float) {
        precondition(logits.rows == labels.count && !labels.isEmpty)
        let v = logits.cols
        var lse = [Float](repeating: 0, count: labels.count)
        var (total, nll) = (0.0, 0.0)
        logits.storage.withUnsafeBufferPointer { p in
            for (r, label) in labels.enumerated() {
                let row = p.baseAddress! + r * v
                lse[r] = VectorKernels.logSumExp(row, count: v)
                var sum = 0.0
                for c in 0..<v { sum += Double(row[c]) }
                let target = Double(lse[r] - row[label])
                nll += target
                total += Double(1 - smoothing) * target + Double(smoothing) * (Double(lse[r]) - sum / Double(v))
            }
        }
        logSumExp = lse
        loss = total / Double(labels.count)
        negativeLogLikelihood = nll / Double(labels.count)
        self.smoothing = smoothing
    }

    /// The gradient of `factor ·` ``loss`` with respect to the logits, in place of `logits`:
    /// `factor · (softmax(z) − ε/V − (1 − ε)·onehot(y)) / N`.
    func gradient(replacing logits: inout Matrix, labels: [Int], scale factor: Float = 1) {
        let v = logits.cols
        let scale = factor / Float(labels.count)
        let uniform = smoothing / Float(v) * scale
        let target = (1 - smoothing) * scale
        logits.storage.withUnsafeMutableBufferPointer { p in
            for (r, label) in labels.enumerated() {
                let row = p.baseAddress! + r * v
                let lse = logSumExp[r]
                VectorKernels.scaledExp(row, count: v, shift: lse, scale: scale, offset: -uniform)
                row[label] -= target
            }
        }
    }
}

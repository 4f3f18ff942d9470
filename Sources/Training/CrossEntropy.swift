import Foundation
import Tensor

/// Softmax cross-entropy of rows of logits against their labels, averaged over the rows
/// (every row is one non-padding label token).
struct CrossEntropy {
    /// `log Σ exp(logits)` of each row.
    let logSumExp: [Float]
    /// Mean of `logSumExp − logits[label]` over the rows, in nats.
    let loss: Double

    /// The loss of `logits` (`N × V`) for `labels` (`N` ids).
    init(logits: Matrix, labels: [Int]) {
        precondition(logits.rows == labels.count && !labels.isEmpty)
        let v = logits.cols
        var lse = [Float](repeating: 0, count: labels.count)
        var total = 0.0
        logits.storage.withUnsafeBufferPointer { p in
            for (r, label) in labels.enumerated() {
                let row = p.baseAddress! + r * v
                var top = row[0]
                for c in 1..<v where row[c] > top { top = row[c] }
                var sum: Float = 0
                for c in 0..<v { sum += expf(row[c] - top) }
                lse[r] = top + logf(sum)
                total += Double(lse[r] - row[label])
            }
        }
        logSumExp = lse
        loss = total / Double(labels.count)
    }

    /// The gradient of ``loss`` with respect to `logits`: `(softmax − onehot(label)) / N`.
    func gradient(logits: Matrix, labels: [Int]) -> Matrix {
        let v = logits.cols
        let scale = 1 / Float(labels.count)
        var d = logits
        d.storage.withUnsafeMutableBufferPointer { p in
            for (r, label) in labels.enumerated() {
                let row = p.baseAddress! + r * v
                let lse = logSumExp[r]
                for c in 0..<v { row[c] = expf(row[c] - lse) * scale }
                row[label] -= scale
            }
        }
        return d
    }
}

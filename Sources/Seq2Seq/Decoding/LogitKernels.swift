import Tensor

/// Row operations on logits shared by the decoding strategies.
enum LogitKernels {
    /// Indices of the `k` largest of `count` values, largest first; ties go to the lower index.
    static func topIndices(_ values: UnsafePointer<Float>, count: Int, k: Int) -> [Int] {
        let k = min(k, count)
        var top: [Int] = []
        top.reserveCapacity(k + 1)
        for i in 0..<count {
            let value = values[i]
            if top.count == k {
                guard value > values[top[k - 1]] else { continue }
                top.removeLast()
            }
            var position = top.count
            while position > 0 && values[top[position - 1]] < value { position -= 1 }
            top.insert(i, at: position)
        }
        return top
    }

    /// Applies a model's rules to a row of logits before a token is chosen: suppressed ids can
    /// never win, and when `forceEOS` only `eos` can.
    static func constrain(
        _ row: UnsafeMutablePointer<Float>, count: Int, suppressed: [Int], eos: Int, forceEOS: Bool
    ) {
        if forceEOS {
            row.update(repeating: -.infinity, count: count)
            row[eos] = 0
            return
        }
        for id in suppressed { row[id] = -.infinity }
    }
}

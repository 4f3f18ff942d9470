import Tensor

/// Scaled dot-product attention of single query rows over keys and values laid out in rows.
enum Attention {
    /// Attention of one query over `count` positions, every head at once.
    ///
    /// - Parameters:
    ///   - query: `heads × headWidth` values, already scaled by `1/√headWidth` (``Tensor/Matrix/scaleQueries(width:headWidth:)``).
    ///   - keys: position `j`'s keys at `keys + j · stride`, `heads × headWidth` values.
    ///   - values: position `j`'s values at `values + j · stride`, likewise.
    ///   - scores: room for `count` floats.
    ///   - output: receives `heads × headWidth` values, each head's weighted sum of values.
    static func attend(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, stride: Int, count: Int,
        heads: Int, headWidth: Int, scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        for h in 0..<heads {
            let offset = h * headWidth
            for j in 0..<count {
                scores[j] = VectorKernels.dot(query + offset, keys + j * stride + offset, count: headWidth)
            }
            VectorKernels.softmax(scores, count: count)
            let out = output + offset
            out.update(repeating: 0, count: headWidth)
            for j in 0..<count {
                VectorKernels.accumulate(scores[j], values + j * stride + offset, into: out, count: headWidth)
            }
        }
    }
}

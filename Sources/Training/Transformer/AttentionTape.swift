import Tensor

/// Multi-head scaled dot-product attention over packed sentences (each sentence's rows one
/// after another, no padding), with the probabilities its backward pass needs.
///
/// Sentence `s` has `queryLengths[s]` query rows and `keyLengths[s]` key and value rows; its
/// queries attend to its own keys only, which is what a padding mask does in a padded batch.
/// With `causal`, query `i` attends to keys `0…i` only (the decoder's self-attention).
/// Queries come already scaled by `1/√headWidth`. Every product goes through BLAS, one
/// (sentence, head) at a time.
struct AttentionTape {
    /// Softmax probabilities of every (sentence, head), `queries × keys` each, sentence-major.
    let probabilities: [Float]
    let queryLengths: [Int]
    let keyLengths: [Int]
    let heads: Int
    let headWidth: Int

    /// Attends and writes the heads' outputs side by side.
    ///
    /// - Parameters:
    ///   - queries: `Σ queryLengths × (heads · headWidth)`, leading dimension `ldq`, scaled.
    ///   - keys, values: `Σ keyLengths × (heads · headWidth)` each, leading dimension `ldkv`.
    ///   - output: receives `Σ queryLengths × (heads · headWidth)`, leading dimension `ldo`.
    init(
        queries: UnsafePointer<Float>, ldq: Int, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, ldkv: Int,
        queryLengths: [Int], keyLengths: [Int], heads: Int, headWidth: Int, causal: Bool,
        output: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        precondition(queryLengths.count == keyLengths.count)
        precondition(!causal || queryLengths == keyLengths)
        self.queryLengths = queryLengths
        self.keyLengths = keyLengths
        self.heads = heads
        self.headWidth = headWidth
        let total = zip(queryLengths, keyLengths).reduce(0) { $0 + heads * $1.0 * $1.1 }
        var probabilities = [Float](repeating: 0, count: total)
        probabilities.withUnsafeMutableBufferPointer { pp in
            var p = pp.baseAddress!
            var (qRow, kRow) = (0, 0)
            for (lq, lk) in zip(queryLengths, keyLengths) {
                for h in 0..<heads {
                    let column = h * headWidth
                    let q = queries + qRow * ldq + column
                    BLAS.gemm(
                        transB: true, m: lq, n: lk, k: headWidth, a: q, lda: ldq, b: keys + kRow * ldkv + column, ldb: ldkv,
                        c: p, ldc: lk)
                    for i in 0..<lq {
                        let row = p + i * lk
                        let visible = causal ? i + 1 : lk
                        VectorKernels.softmax(row, count: visible)
                        if visible < lk { (row + visible).update(repeating: 0, count: lk - visible) }
                    }
                    BLAS.gemm(
                        m: lq, n: headWidth, k: lk, a: p, lda: lk, b: values + kRow * ldkv + column, ldb: ldkv,
                        c: output + qRow * ldo + column, ldc: ldo)
                    p += lq * lk
                }
                qRow += lq
                kRow += lk
            }
        }
        self.probabilities = probabilities
    }

    /// The gradients of the (scaled) queries, keys and values given the output's, `dOutput`:
    ///
    ///     dV = Pᵀ dO    dP = dO Vᵀ    dS = P ⊙ (dP − rowsum(P ⊙ dP))    dQ = dS K    dK = dSᵀ Q
    ///
    /// `dQueries`, `dKeys` and `dValues` (laid out as their forward counterparts) are overwritten.
    func backward(
        dOutput: UnsafePointer<Float>, lddo: Int, queries: UnsafePointer<Float>, ldq: Int, keys: UnsafePointer<Float>,
        values: UnsafePointer<Float>, ldkv: Int, dQueries: UnsafeMutablePointer<Float>, lddq: Int,
        dKeys: UnsafeMutablePointer<Float>, dValues: UnsafeMutablePointer<Float>, lddkv: Int
    ) {
        let largest = zip(queryLengths, keyLengths).map { $0 * $1 }.max() ?? 0
        var scratch = [Float](repeating: 0, count: largest)
        probabilities.withUnsafeBufferPointer { pp in
            scratch.withUnsafeMutableBufferPointer { sp in
                let dS = sp.baseAddress!
                var p = pp.baseAddress!
                var (qRow, kRow) = (0, 0)
                for (lq, lk) in zip(queryLengths, keyLengths) {
                    for h in 0..<heads {
                        let column = h * headWidth
                        let dO = dOutput + qRow * lddo + column
                        BLAS.gemm(
                            transA: true, m: lk, n: headWidth, k: lq, a: p, lda: lk, b: dO, ldb: lddo,
                            c: dValues + kRow * lddkv + column, ldc: lddkv)
                        BLAS.gemm(
                            transB: true, m: lq, n: lk, k: headWidth, a: dO, lda: lddo, b: values + kRow * ldkv + column, ldb: ldkv,
                            c: dS, ldc: lk)
                        for i in 0..<lq {
                            let (prow, srow) = (p + i * lk, dS + i * lk)
                            let dot = VectorKernels.dot(prow, srow, count: lk)
                            for j in 0..<lk { srow[j] = prow[j] * (srow[j] - dot) }
                        }
                        BLAS.gemm(
                            m: lq, n: headWidth, k: lk, a: dS, lda: lk, b: keys + kRow * ldkv + column, ldb: ldkv,
                            c: dQueries + qRow * lddq + column, ldc: lddq)
                        BLAS.gemm(
                            transA: true, m: lk, n: headWidth, k: lq, a: dS, lda: lk, b: queries + qRow * ldq + column, ldb: ldq,
                            c: dKeys + kRow * lddkv + column, ldc: lddkv)
                        p += lq * lk
                    }
                    qRow += lq
                    kRow += lk
                }
            }
        }
    }
}

import Tensor

/// One GRU layer laid out for inference: weights stored transposed (`in × 3H`, `H × 3H`),
/// which OpenBLAS multiplies faster than PyTorch's `3H × in` layout, both in `sgemm` and in
/// the `sgemv` used for single rows.
public struct GRULayer: Sendable {
    /// `W_ihᵀ`, `in × 3H`.
    /// (Empty when the products are packed in another compute type: only the packed copy is kept.)
    public let inputWeights: Matrix
    /// `W_hhᵀ`, `H × 3H`.
    public let recurrentWeights: Matrix
    /// `b_ih`, `3H` values.
    public let inputBias: [Float]
    /// `b_hh`, `3H` values.
    public let recurrentBias: [Float]
    /// The products in a compute type other than float32 (`nil`: OpenBLAS in float32).
    let packed: PackedProducts?

    /// A layer's products packed for oneDNN in a compute type.
    struct PackedProducts: Sendable {
        /// Input projections by the input columns they take: all of them with `b_ih`, or for a
        /// layer that also takes a context, the columns before it without `b_ih` and the
        /// context's with it.
        let inputs: [Range<Int>: PackedWeights]
        /// `h · W_hhᵀ`, no bias (the cell adds `b_hh` inside the reset gate).
        let recurrent: PackedWeights
    }

    /// The layer of `weights` (PyTorch layout), its products in `computeType`; a layer whose
    /// inputs end with a context gives the context's first column as `contextStart`.
    public init(_ weights: GRUWeights, computeType: ComputeType = .float32, contextStart: Int? = nil) {
        inputSize = weights.inputSize
        hiddenSize = weights.hiddenSize
        let (inputs, recurrent) = (weights.weightIH.transposed(), weights.weightHH.transposed())
        inputBias = weights.biasIH.storage
        recurrentBias = weights.biasHH.storage
        packed = computeType == .float32 ? nil : Self.pack(inputs, recurrent, inputBias, computeType, contextStart)
        (inputWeights, recurrentWeights) = packed == nil ? (inputs, recurrent) : (Matrix(rows: 0, cols: 0), Matrix(rows: 0, cols: 0))
    }

    /// The type of the recurrent product for a layer computing in `computeType`. int8 error in
    /// `h · W_hhᵀ` compounds over the time steps: on the bundled model's held-out set an all-int8
    /// GRU lost 0.33 sacreBLEU, one with a bfloat16 (or float32) recurrent product none.
    static func recurrentType(_ computeType: ComputeType) -> ComputeType {
        guard computeType == .int8 else { return computeType }
        return ComputeType.bfloat16.unsupportedReason == nil ? .bfloat16 : .float32
    }

    /// The products of `W_ihᵀ` (`in × 3H`) and `W_hhᵀ` packed in `computeType`.
    private static func pack(
        _ inputWeights: Matrix, _ recurrentWeights: Matrix, _ inputBias: [Float], _ computeType: ComputeType, _ contextStart: Int?
    ) -> PackedProducts {
        let width = inputWeights.cols
        func part(_ rows: Range<Int>, withBias: Bool) -> PackedWeights {
            let weights = Matrix(
                rows: rows.count, cols: width, storage: Array(inputWeights.storage[(rows.lowerBound * width)..<(rows.upperBound * width)]))
            return PackedWeights(weights, bias: withBias ? inputBias : [Float](repeating: 0, count: width), computeType: computeType)
        }
        let end = inputWeights.rows
        let inputs = contextStart.map { [0..<$0: part(0..<$0, withBias: false), $0..<end: part($0..<end, withBias: true)] }
            ?? [0..<end: part(0..<end, withBias: true)]
        let recurrent = PackedWeights(recurrentWeights, bias: [Float](repeating: 0, count: width), computeType: recurrentType(computeType))
        return PackedProducts(inputs: inputs, recurrent: recurrent)
    }

    /// The weights in PyTorch's layout.
    public var weights: GRUWeights {
        precondition(packed == nil, "a layer converted to another compute type keeps no float32 weights")
        var w = GRUWeights(inputSize: inputSize, hiddenSize: hiddenSize)
        w.weightIH = inputWeights.transposed()
        w.weightHH = recurrentWeights.transposed()
        w.biasIH.storage = inputBias
        w.biasHH.storage = recurrentBias
        return w
    }

    /// Hidden width `H`.
    public let hiddenSize: Int
    /// Input width.
    public let inputSize: Int

    /// Input projections of many rows at once: `x · W_ih[:, inputs]ᵀ`, plus `b_ih` when `addBias`.
    ///
    /// - Parameters:
    ///   - x: `N × inputs.count`.
    ///   - inputs: the input columns `x` holds (all of them unless the layer also takes a
    ///     context, whose columns are projected separately).
    /// - Returns: `N × 3H`.
    public func projectInputs(_ x: Matrix, inputs: Range<Int>? = nil, addBias: Bool = true) -> Matrix {
        let rows = inputs ?? 0..<inputSize
        precondition(x.cols == rows.count, "input width \(x.cols) for \(rows.count) weight rows")
        let width = 3 * hiddenSize
        var out = Matrix(rows: x.rows, cols: width)
        if let packed {
            // Each packed part was built with or without b_ih as its callers ask.
            precondition(addBias == (rows.lowerBound > 0 || rows.count == inputSize), "no packed product for \(rows)")
            x.storage.withUnsafeBufferPointer { xp in
                out.storage.withUnsafeMutableBufferPointer { packed.inputs[rows]!.apply(xp.baseAddress!, rows: x.rows, into: $0.baseAddress!) }
            }
            return out
        }
        if addBias {
            for r in 0..<x.rows { out.setRow(r, inputBias) }
        }
        guard x.rows > 0 else { return out }
        x.storage.withUnsafeBufferPointer { xp in
            inputWeights.storage.withUnsafeBufferPointer { wp in
                out.storage.withUnsafeMutableBufferPointer { op in
                    BLAS.gemm(
                        m: x.rows, n: width, k: rows.count, a: xp.baseAddress!, lda: x.cols,
                        b: wp.baseAddress! + rows.lowerBound * width, ldb: width, beta: addBias ? 1 : 0,
                        c: op.baseAddress!, ldc: width)
                }
            }
        }
        return out
    }

    /// Advances the first `rows` rows of `state` one step, given their input projections.
    ///
    /// - Parameters:
    ///   - gi: `rows × 3H` input projections (with `b_ih`).
    ///   - state: at least `rows × H` hidden states; the first `rows` rows are updated.
    ///   - scratch: at least `rows × 3H` floats for the recurrent projections.
    public func step(rows: Int, gi: UnsafePointer<Float>, state: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let h = hiddenSize
        if let packed {
            packed.recurrent.apply(state, rows: rows, into: scratch)
        } else {
            recurrentWeights.storage.withUnsafeBufferPointer { w in
                BLAS.gemm(m: rows, n: 3 * h, k: h, a: state, lda: h, b: w.baseAddress!, ldb: 3 * h, c: scratch, ldc: 3 * h)
            }
        }
        recurrentBias.withUnsafeBufferPointer { b in
            gruCellForward(rows: rows, hidden: h, gi: gi, giStride: 3 * h, gh: scratch, biasHH: b.baseAddress!, h: state)
        }
    }

    /// Runs the layer over packed sequences.
    ///
    /// - Parameters:
    ///   - gi: `layout.totalRows × 3H` input projections (with `b_ih`), packed.
    ///   - layout: the packing of the batch.
    ///   - state: `B × H` initial states in sorted order; on return, each sequence's final state.
    /// - Returns: `layout.totalRows × H` outputs (the state after each step), packed.
    public func run(gi: Matrix, layout: PackedLayout, state: inout Matrix) -> Matrix {
        let h = hiddenSize
        precondition(gi.rows == layout.totalRows && gi.cols == 3 * h && state.rows == layout.batch && state.cols == h)
        var outputs = Matrix(rows: layout.totalRows, cols: h)
        var scratch = [Float](repeating: 0, count: layout.batch * 3 * h)
        gi.storage.withUnsafeBufferPointer { g in
            state.storage.withUnsafeMutableBufferPointer { s in
                outputs.storage.withUnsafeMutableBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { tmp in
                        for t in 0..<layout.steps {
                            let rows = layout.batchSizes[t]
                            let first = layout.offsets[t]
                            step(rows: rows, gi: g.baseAddress! + first * 3 * h, state: s.baseAddress!, scratch: tmp.baseAddress!)
                            (o.baseAddress! + first * h).update(from: s.baseAddress!, count: rows * h)
                        }
                    }
                }
            }
        }
        return outputs
    }
}

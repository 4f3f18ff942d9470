import COneDNN
import CVectorKernels
import Synchronization

/// A dense layer's weight `W` (`inputs × outputs`) and bias, converted once to a compute type
/// and laid out in the blocked format oneDNN's matmul reads fastest on this CPU, for
/// `y = x · W + b` over any number of rows of float32 `x`.
///
/// OpenBLAS copies ("packs") a whole weight matrix on every product; at the row counts of
/// decoding (1 to a few hundred) that copy cost a quarter of the time. Here the weights are
/// packed when the model loads, and one matmul primitive per row count is built on first use
/// and kept. Immutable apart from that cache, which a lock guards: share it between threads.
///
/// - float32: one matmul with the bias.
/// - bfloat16: `x` rounded to bfloat16, one matmul with the bias, float32 out.
/// - int8: each column of `W` quantized with its own scale; each row of `x` quantized at run
///   time with its own scale and shifted by 128 to unsigned bytes (the u8 × s8 products every
///   x86-64 int8 instruction takes); int32 sums, then `(sum − 128·Σ_k q_w) · s_x · s_w + b`.
public final class PackedWeights: @unchecked Sendable {
    public let inputs: Int
    public let outputs: Int
    public let computeType: ComputeType
    /// The packed layout, the same for every row count.
    private let packedDesc: dnnl_memory_desc_t
    private let weights: dnnl_memory_t
    /// The bias as oneDNN takes it (float32 and bfloat16), and as the int8 epilogue adds it.
    private let bias: dnnl_memory_t
    private let biasValues: [Float]
    /// int8: each column's scale and the sum of its quantized values.
    private let columnScales: [Float]
    private let columnSums: [Int32]
    /// Matmul primitives by row count.
    private let primitives = Mutex<[Int: dnnl_primitive_t]>([:])

    /// Converts and packs `weight` (`inputs × outputs`, row-major) and `bias` (`outputs` values).
    public init(_ weight: Matrix, bias values: [Float], computeType: ComputeType = .float32) {
        precondition(values.count == weight.cols, "bias of \(values.count) for \(weight.cols) outputs")
        inputs = weight.rows
        outputs = weight.cols
        self.computeType = computeType
        biasValues = values
        var converted = weight.storage
        (columnScales, columnSums) = computeType == .int8 ? Self.quantizeColumns(&converted, rows: inputs, cols: outputs) : ([], [])
        // The layout oneDNN picks for a typical batch serves every row count.
        let types = Self.types(computeType)
        let probe = Self.primitiveDesc(
            rows: 64, inputs: inputs, outputs: outputs, types: types,
            weights: OneDNN.matrix(rows: inputs, cols: outputs, type: types.weights, format: dnnl_format_tag_any))
        packedDesc = dnnl_primitive_desc_query_md(probe, dnnl_query_weights_md, 0).pointee
        dnnl_primitive_desc_destroy(probe)
        weights = OneDNN.memory(packedDesc, nil)
        bias = OneDNN.memory(OneDNN.matrix(rows: 1, cols: outputs), nil)
        OneDNN.copy(values, into: bias)
        converted.withUnsafeMutableBufferPointer { plain in
            let source = OneDNN.memory(OneDNN.matrix(rows: inputs, cols: outputs), UnsafeMutableRawPointer(plain.baseAddress!))
            defer { dnnl_memory_destroy(source) }
            OneDNN.reorder(source, into: weights)
        }
    }

    deinit {
        for primitive in primitives.withLock({ $0.values }) { dnnl_primitive_destroy(primitive) }
        dnnl_memory_destroy(weights)
        dnnl_memory_destroy(bias)
    }

    /// `y = x · W + b` for `rows` rows of `x` (row stride `inputs`) into `y` (row stride `outputs`).
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        switch computeType {
        case .float32:
            run(rows: rows, source: UnsafeMutableRawPointer(mutating: x), destination: UnsafeMutableRawPointer(y))
        case .bfloat16:
            var rounded = [UInt16](repeating: 0, count: rows * inputs)
            rounded.withUnsafeMutableBufferPointer { source in
                vk_to_bfloat16(x, source.baseAddress!, rows * inputs)
                run(rows: rows, source: UnsafeMutableRawPointer(source.baseAddress!), destination: UnsafeMutableRawPointer(y))
            }
        case .int8:
            applyInt8(x, rows: rows, into: y)
        }
    }

    private func applyInt8(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        var quantized = [UInt8](repeating: 0, count: rows * inputs)
        var rowScales = [Float](repeating: 0, count: rows)
        var sums = [Int32](repeating: 0, count: rows * outputs)
        quantized.withUnsafeMutableBufferPointer { q in
            rowScales.withUnsafeMutableBufferPointer { scales in
                sums.withUnsafeMutableBufferPointer { acc in
                    vk_quantize_rows_u8(x, rows, inputs, q.baseAddress!, scales.baseAddress!)
                    run(rows: rows, source: UnsafeMutableRawPointer(q.baseAddress!), destination: UnsafeMutableRawPointer(acc.baseAddress!))
                    columnScales.withUnsafeBufferPointer { cs in
                        columnSums.withUnsafeBufferPointer { colSums in
                            biasValues.withUnsafeBufferPointer { b in
                                vk_dequantize_rows(
                                    acc.baseAddress!, rows, outputs, scales.baseAddress!, cs.baseAddress!, colSums.baseAddress!,
                                    b.baseAddress!, y)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Runs the matmul of `rows` rows from `source` (the compute type's source data) into `destination`.
    private func run(rows: Int, source: UnsafeMutableRawPointer, destination: UnsafeMutableRawPointer) {
        let types = Self.types(computeType)
        let src = OneDNN.memory(OneDNN.matrix(rows: rows, cols: inputs, type: types.source), source)
        let dst = OneDNN.memory(OneDNN.matrix(rows: rows, cols: outputs, type: types.destination), destination)
        defer {
            dnnl_memory_destroy(src)
            dnnl_memory_destroy(dst)
        }
        var arguments = [
            dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: src), dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: weights),
            dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: dst),
        ]
        if types.bias { arguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_BIAS, memory: bias)) }
        OneDNN.execute(primitive(rows: rows), &arguments)
    }

    /// The matmul primitive for `rows` rows, built on first use.
    private func primitive(rows: Int) -> dnnl_primitive_t {
        if let cached = primitives.withLock({ $0[rows] }) { return cached }
        let desc = Self.primitiveDesc(rows: rows, inputs: inputs, outputs: outputs, types: Self.types(computeType), weights: packedDesc)
        defer { dnnl_primitive_desc_destroy(desc) }
        var primitive: dnnl_primitive_t?
        OneDNN.check(dnnl_primitive_create(&primitive, desc), "dnnl_primitive_create")
        return primitives.withLock { cache in
            if let raced = cache[rows] {
                dnnl_primitive_destroy(primitive)
                return raced
            }
            cache[rows] = primitive!
            return primitive!
        }
    }

    /// The data types of a compute type's matmul, and whether oneDNN adds the bias.
    private static func types(_ computeType: ComputeType) -> (
        source: dnnl_data_type_t, weights: dnnl_data_type_t, destination: dnnl_data_type_t, bias: Bool
    ) {
        switch computeType {
        case .float32: return (dnnl_f32, dnnl_f32, dnnl_f32, true)
        case .bfloat16: return (dnnl_bf16, dnnl_bf16, dnnl_f32, true)
        case .int8: return (dnnl_u8, dnnl_s8, dnnl_s32, false)
        }
    }

    /// A matmul primitive descriptor for `rows` rows with weights of `weights`' layout.
    private static func primitiveDesc(
        rows: Int, inputs: Int, outputs: Int,
        types: (source: dnnl_data_type_t, weights: dnnl_data_type_t, destination: dnnl_data_type_t, bias: Bool),
        weights: dnnl_memory_desc_t
    ) -> dnnl_primitive_desc_t {
        var source = OneDNN.matrix(rows: rows, cols: inputs, type: types.source)
        var weights = weights
        var bias = OneDNN.matrix(rows: 1, cols: outputs)
        var destination = OneDNN.matrix(rows: rows, cols: outputs, type: types.destination)
        var matmul = dnnl_matmul_desc_t()
        let status = withUnsafePointer(to: &bias) { biasDesc in
            dnnl_matmul_desc_init(&matmul, &source, &weights, types.bias ? biasDesc : nil, &destination)
        }
        OneDNN.check(status, "dnnl_matmul_desc_init")
        var desc: dnnl_primitive_desc_t?
        OneDNN.check(dnnl_primitive_desc_create(&desc, &matmul, nil, OneDNN.engine, nil), "dnnl_primitive_desc_create")
        return desc!
    }

    /// Quantizes each column of `values` (`rows × cols`, row-major) in place to int8 values
    /// (kept as floats for the reorder): scale = max|column| / ``CPUFeatures/int8WeightLimit``.
    ///
    /// - Returns: each column's scale and the sum of its quantized values.
    private static func quantizeColumns(_ values: inout [Float], rows: Int, cols: Int) -> ([Float], [Int32]) {
        var scales = [Float](repeating: 0, count: cols)
        for r in 0..<rows {
            for c in 0..<cols { scales[c] = max(scales[c], abs(values[r * cols + c])) }
        }
        let limit = Float(CPUFeatures.int8WeightLimit)
        scales = scales.map { $0 > 0 ? $0 / limit : 1 }
        var sums = [Int32](repeating: 0, count: cols)
        for r in 0..<rows {
            for c in 0..<cols {
                let q = (values[r * cols + c] / scales[c]).rounded(.toNearestOrEven)
                values[r * cols + c] = q
                sums[c] += Int32(q)
            }
        }
        return (scales, sums)
    }
}

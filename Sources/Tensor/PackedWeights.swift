import COneDNN
import Synchronization

/// A dense layer's weight `W` (`inputs × outputs`) and bias, laid out once in the blocked
/// format oneDNN's matmul reads fastest on this CPU, for `y = x · W + b` over any number of
/// rows.
///
/// OpenBLAS copies ("packs") a whole weight matrix on every product; at the row counts of
/// decoding (1 to a few hundred) that copy cost a quarter of the time. Here the weights are
/// packed when the model loads, and one matmul primitive per row count is built on first use
/// and kept. Immutable apart from that cache, which a lock guards: share it between threads.
public final class PackedWeights: @unchecked Sendable {
    public let inputs: Int
    public let outputs: Int
    /// The packed layout, the same for every row count.
    private let packedDesc: dnnl_memory_desc_t
    private let weights: dnnl_memory_t
    private let bias: dnnl_memory_t
    /// Matmul primitives by row count.
    private let primitives = Mutex<[Int: dnnl_primitive_t]>([:])

    /// Packs `weight` (`inputs × outputs`, row-major) and `bias` (`outputs` values).
    public init(_ weight: Matrix, bias values: [Float]) {
        precondition(values.count == weight.cols, "bias of \(values.count) for \(weight.cols) outputs")
        inputs = weight.rows
        outputs = weight.cols
        // The layout oneDNN picks for a typical batch serves every row count.
        let any = OneDNN.matrix(rows: inputs, cols: outputs, format: dnnl_format_tag_any)
        let probe = Self.primitiveDesc(rows: 64, inputs: inputs, outputs: outputs, weights: any)
        packedDesc = dnnl_primitive_desc_query_md(probe, dnnl_query_weights_md, 0).pointee
        dnnl_primitive_desc_destroy(probe)
        weights = OneDNN.memory(packedDesc, nil)
        bias = OneDNN.memory(OneDNN.matrix(rows: 1, cols: outputs), nil)
        var handle: UnsafeMutableRawPointer?
        OneDNN.check(dnnl_memory_get_data_handle(bias, &handle), "dnnl_memory_get_data_handle")
        values.withUnsafeBufferPointer { handle!.copyMemory(from: $0.baseAddress!, byteCount: 4 * outputs) }
        weight.storage.withUnsafeBufferPointer { plain in
            let source = OneDNN.memory(OneDNN.matrix(rows: inputs, cols: outputs), UnsafeMutableRawPointer(mutating: plain.baseAddress!))
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
        let primitive = self.primitive(rows: rows)
        let source = OneDNN.memory(OneDNN.matrix(rows: rows, cols: inputs), UnsafeMutableRawPointer(mutating: x))
        let destination = OneDNN.memory(OneDNN.matrix(rows: rows, cols: outputs), UnsafeMutableRawPointer(y))
        defer {
            dnnl_memory_destroy(source)
            dnnl_memory_destroy(destination)
        }
        var arguments = [
            dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: source), dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: weights),
            dnnl_exec_arg_t(arg: DNNL_ARG_BIAS, memory: bias), dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: destination),
        ]
        OneDNN.execute(primitive, &arguments)
    }

    /// The matmul primitive for `rows` rows, built on first use.
    private func primitive(rows: Int) -> dnnl_primitive_t {
        if let cached = primitives.withLock({ $0[rows] }) { return cached }
        let desc = Self.primitiveDesc(rows: rows, inputs: inputs, outputs: outputs, weights: packedDesc)
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

    /// A matmul primitive descriptor: `rows × inputs` source, weights of `weights`' layout, bias, plain destination.
    private static func primitiveDesc(rows: Int, inputs: Int, outputs: Int, weights: dnnl_memory_desc_t) -> dnnl_primitive_desc_t {
        var (source, weights, bias, destination) = (
            OneDNN.matrix(rows: rows, cols: inputs), weights, OneDNN.matrix(rows: 1, cols: outputs),
            OneDNN.matrix(rows: rows, cols: outputs)
        )
        var matmul = dnnl_matmul_desc_t()
        OneDNN.check(dnnl_matmul_desc_init(&matmul, &source, &weights, &bias, &destination), "dnnl_matmul_desc_init")
        var desc: dnnl_primitive_desc_t?
        OneDNN.check(dnnl_primitive_desc_create(&desc, &matmul, nil, OneDNN.engine, nil), "dnnl_primitive_desc_create")
        return desc!
    }
}

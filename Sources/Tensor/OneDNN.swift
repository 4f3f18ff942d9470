import COneDNN

/// A oneDNN call that failed: the call and its status.
public struct OneDNNError: Error, CustomStringConvertible {
    /// The C function, as written at the call site.
    public let call: String
    public let status: dnnl_status_t

    public var description: String { "\(call) failed with oneDNN status \(status.rawValue)" }
}

/// The process's oneDNN CPU engine and the one helper every oneDNN call goes through.
enum OneDNN {
    /// The CPU engine, created on first use.
    nonisolated(unsafe) static let engine: dnnl_engine_t = {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "dnnl_engine_create")
        return engine!
    }()

    /// Stops with the failing call's name unless `status` is success. oneDNN fails only on
    /// shapes this code never builds or when memory runs out; neither depends on input.
    static func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String) {
        guard status == dnnl_success else { fatalError("\(OneDNNError(call: call(), status: status))") }
    }

    /// A `rows × cols` memory descriptor of `type`: row-major (`dnnl_ab`), or a layout for
    /// oneDNN to choose (`dnnl_format_tag_any`).
    static func matrix(
        rows: Int, cols: Int, type: dnnl_data_type_t = dnnl_f32, format: dnnl_format_tag_t = dnnl_ab
    ) -> dnnl_memory_desc_t {
        var desc = dnnl_memory_desc_t()
        let dims = [Int64(rows), Int64(cols)]
        check(dnnl_memory_desc_init_by_tag(&desc, 2, dims, type, format), "dnnl_memory_desc_init_by_tag")
        return desc
    }

    /// Copies `values` into the buffer of `memory` (float32, as many values).
    static func copy(_ values: [Float], into memory: dnnl_memory_t) {
        var handle: UnsafeMutableRawPointer?
        check(dnnl_memory_get_data_handle(memory, &handle), "dnnl_memory_get_data_handle")
        values.withUnsafeBufferPointer { handle!.copyMemory(from: $0.baseAddress!, byteCount: 4 * $0.count) }
    }

    /// A memory object of `desc` over `buffer` (not owned), or its own buffer when `nil`.
    static func memory(_ desc: dnnl_memory_desc_t, _ buffer: UnsafeMutableRawPointer?) -> dnnl_memory_t {
        var desc = desc
        var memory: dnnl_memory_t?
        check(dnnl_memory_create(&memory, &desc, engine, buffer ?? UnsafeMutableRawPointer(bitPattern: -1)), "dnnl_memory_create")
        return memory!
    }

    /// Copies `source` into `destination`, converting the layout.
    static func reorder(_ source: dnnl_memory_t, into destination: dnnl_memory_t) {
        var from: UnsafePointer<dnnl_memory_desc_t>?
        var to: UnsafePointer<dnnl_memory_desc_t>?
        check(dnnl_memory_get_memory_desc(source, &from), "dnnl_memory_get_memory_desc")
        check(dnnl_memory_get_memory_desc(destination, &to), "dnnl_memory_get_memory_desc")
        var desc: dnnl_primitive_desc_t?
        check(dnnl_reorder_primitive_desc_create(&desc, from, engine, to, engine, nil), "dnnl_reorder_primitive_desc_create")
        defer { dnnl_primitive_desc_destroy(desc) }
        var primitive: dnnl_primitive_t?
        check(dnnl_primitive_create(&primitive, desc), "dnnl_primitive_create")
        defer { dnnl_primitive_destroy(primitive) }
        var arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: source), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: destination)]
        execute(primitive!, &arguments)
    }

    /// Runs `primitive` on a stream of this thread's and waits for it.
    static func execute(_ primitive: dnnl_primitive_t, _ arguments: inout [dnnl_exec_arg_t]) {
        var stream: dnnl_stream_t?
        check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "dnnl_stream_create")
        defer { dnnl_stream_destroy(stream) }
        check(dnnl_primitive_execute(primitive, stream, Int32(arguments.count), &arguments), "dnnl_primitive_execute")
        check(dnnl_stream_wait(stream), "dnnl_stream_wait")
    }
}

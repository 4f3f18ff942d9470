import COneDNN
import CVectorKernels

/// The number type of a model's matrix products, named as CTranslate2 names them. Layer
/// norms, softmax, activations and everything between the products stay float32.
public enum ComputeType: String, Sendable, CaseIterable {
    /// float32 weights and activations: exactly the reference maths.
    case float32
    /// int8 weights (one scale per output column) and int8 activations (one scale per row,
    /// computed at run time), int32 accumulation.
    case int8
    /// bfloat16 weights and activations, float32 accumulation.
    case bfloat16

    /// Why this CPU cannot run the type, or `nil` when it can: oneDNN computes bfloat16 on
    /// AVX-512 CPUs only.
    public var unsupportedReason: String? {
        guard self == .bfloat16, !CPUFeatures.isa.hasPrefix("avx512") else { return nil }
        return "bfloat16 needs AVX-512; this CPU runs \(CPUFeatures.isa)"
    }

    /// The fastest type this CPU runs well: int8 from AVX2 up (measured on the shared
    /// Transformer at batch 64: 2.5× float32 with AVX-512 VNNI, 1.9× with AVX2 alone), else float32.
    public static var fastest: ComputeType {
        let isa = CPUFeatures.isa
        return isa.hasPrefix("avx2") || isa.hasPrefix("avx512") ? .int8 : .float32
    }
}

/// What oneDNN found this CPU can run (its `ONEDNN_MAX_CPU_ISA` environment variable caps it).
public enum CPUFeatures {
    /// Largest magnitude of an int8 weight. Without VNNI, int8 products go through
    /// `vpmaddubsw`, which adds two u8 × s8 products in 16 bits and saturates past 32,767; with
    /// weights of 7 bits (±63) the sum (at most 2 · 255 · 63) never does.
    public static var int8WeightLimit: Int { isa.contains("vnni") || isa.contains("amx") ? 127 : 63 }

    /// The instruction set of the project's own vector kernels: `avx512`, `avx2` or `baseline`
    /// (capped by `ONEDNN_MAX_CPU_ISA` as oneDNN's are).
    public static var vectorKernels: String { String(cString: vk_instruction_set()) }

    /// The instruction set oneDNN's kernels use, e.g. `avx512_core_vnni`, `avx2`.
    public static var isa: String {
        switch dnnl_get_effective_cpu_isa() {
        case dnnl_cpu_isa_sse41: return "sse41"
        case dnnl_cpu_isa_avx: return "avx"
        case dnnl_cpu_isa_avx2: return "avx2"
        case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni"
        case dnnl_cpu_isa_avx512_core: return "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16_vnni"
        case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx"
        default: return "baseline"
        }
    }
}

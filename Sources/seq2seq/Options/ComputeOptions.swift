import ArgumentParser
import Tensor

/// `--compute-type`: the number type of a model's matrix products; shared by `translate`,
/// `worker` and `up`.
struct ComputeOptions: ParsableArguments {
    enum Choice: String, ExpressibleByArgument, CaseIterable {
        case float32, int8, bfloat16, auto
    }

    @Option(
        help: ArgumentHelp(
            "Number type of the matrix products: float32, int8, bfloat16, or auto (the fastest this CPU runs well).",
            discussion: """
                Transformer models only so far. The weights are converted when the model loads (int8: one scale per \\
                output column; activations quantized per row at run time). The attention, layer norms, softmax, \\
                activations and the scoring of logits stay float32. ONEDNN_MAX_CPU_ISA=AVX2 caps the kernels \\
                oneDNN picks, for trying the AVX2 path on a CPU that has more.
                """))
    var computeType: Choice = .float32

    func validate() throws {
        if let reason = resolved.unsupportedReason { throw ValidationError("--compute-type \(computeType.rawValue): \(reason)") }
    }

    /// The compute type, `auto` resolved for this CPU.
    var resolved: ComputeType {
        computeType == .auto ? ComputeType.fastest : ComputeType(rawValue: computeType.rawValue)!
    }

    var arguments: [String] { ["--compute-type", computeType.rawValue] }
}

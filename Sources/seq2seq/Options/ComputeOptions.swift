import ArgumentParser
import Foundation
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
                Default: $SEQ2SEQ_COMPUTE_TYPE, else float32. The weights are converted when the model loads (int8: \
                one scale per output column; activations quantized per row at run time; embeddings one scale per \
                row). Converted: a Transformer's \
                attention projections, feed-forward layers and output layer; a GRU's input and output projections, \
                and its recurrent product in bfloat16 (float32 without AVX-512) under int8. Float32 always: attention \
                weights, layer norms, softmax, activations, the GRU's gates and the scoring of logits. \
                ONEDNN_MAX_CPU_ISA=AVX2 caps the kernels oneDNN picks, for trying the AVX2 path on a CPU that has more.
                """))
    var computeType: Choice?

    /// The choice: the option, else `$SEQ2SEQ_COMPUTE_TYPE`, else float32.
    var choice: Choice {
        get throws {
            if let computeType { return computeType }
            guard let value = ProcessInfo.processInfo.environment["SEQ2SEQ_COMPUTE_TYPE"], !value.isEmpty else { return .float32 }
            guard let choice = Choice(rawValue: value) else {
                throw ValidationError("SEQ2SEQ_COMPUTE_TYPE=\(value) is not one of float32, int8, bfloat16, auto")
            }
            return choice
        }
    }

    func validate() throws {
        if let reason = try resolved.unsupportedReason { throw ValidationError("--compute-type \(try choice.rawValue): \(reason)") }
    }

    /// The compute type, `auto` resolved for this CPU.
    var resolved: ComputeType {
        get throws {
            let choice = try choice
            return choice == .auto ? ComputeType.fastest : ComputeType(rawValue: choice.rawValue)!
        }
    }

    var arguments: [String] {
        get throws { ["--compute-type", try choice.rawValue] }
    }
}

import ArgumentParser
import Seq2Seq

/// How sentences are decoded: shared by `translate`, `eval` and `worker`.
struct DecodingArguments: ParsableArguments {
    @Option(help: "Beam width; 1 is greedy decoding.")
    var beam: Int = 1

    @Option(
        help: ArgumentHelp(
            "Most tokens to generate per sentence, the end of sentence included.",
            discussion: """
                Default: a GRU's max_len in config.json; for a Transformer, max_length − 1 of config.json when it \
                has one, else 256 or 2 × the source length + 10, whichever is smaller.
                """))
    var maxLen: Int?

    @Option(help: "Length-normalisation exponent of beam scores, log P / length^α (default: 0.75 for a GRU, 1 for a Transformer, as transformers).")
    var lengthPenalty: Double?

    @Option(help: "Longest sentence accepted, in source tokens; longer ones get an error, not a truncated translation.")
    var maxInputTokens: Int = 200

    func validate() throws {
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1") }
        if let maxLen, maxLen < 1 { throw ValidationError("--max-len must be at least 1") }
        guard maxInputTokens >= 1 else { throw ValidationError("--max-input-tokens must be at least 1") }
    }

    /// The decoding options; what is not given is the model's default.
    var options: DecodingOptions {
        DecodingOptions(beamWidth: beam, maxLength: maxLen, lengthPenalty: lengthPenalty)
    }

    /// These options as command-line arguments, for child processes.
    var arguments: [String] {
        var arguments = ["--beam", "\(beam)"]
        if let maxLen { arguments += ["--max-len", "\(maxLen)"] }
        if let lengthPenalty { arguments += ["--length-penalty", "\(lengthPenalty)"] }
        return arguments
    }
}

import ArgumentParser
import Seq2Seq

/// How sentences are decoded: shared by `translate`, `eval` and `worker`.
struct DecodingArguments: ParsableArguments {
    @Option(help: "Beam width; 1 is greedy decoding.")
    var beam: Int = 1

    @Option(help: "Most tokens to generate per sentence (default: max_len of config.json).")
    var maxLen: Int?

    @Option(help: "Length-normalisation exponent of beam scores (log P / length^α).")
    var lengthPenalty: Double = 0.75

    @Option(help: "Longest input accepted, in source tokens; longer inputs get an error, not a truncated translation.")
    var maxInputTokens: Int = 200

    func validate() throws {
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1") }
        if let maxLen, maxLen < 1 { throw ValidationError("--max-len must be at least 1") }
        guard maxInputTokens >= 1 else { throw ValidationError("--max-input-tokens must be at least 1") }
    }

    /// The options for `model`.
    func options(for model: Seq2SeqModel) -> DecodingOptions {
        DecodingOptions(beamWidth: beam, maxLength: maxLen ?? model.config.maxLen, lengthPenalty: lengthPenalty)
    }
}

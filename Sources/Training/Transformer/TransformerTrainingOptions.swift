import Seq2Seq

/// The settings of a Transformer training run, the PyTorch reference recipe's by default
/// (`../shared/reference/train_marian_torch.py`: d_model 256, 3+3 layers, 4 heads, ffn 1024,
/// swish, dropout 0.1, label smoothing 0.1, Adam β₂ 0.98 ε 1e-9 at 1e-3 with 1,000 warm-up
/// steps, batches of about 3,000 target tokens, clipping at 1). Saved in `training.json` so
/// that `--resume` continues the same run.
public struct TransformerTrainingOptions: Codable, Equatable, Sendable {
    public var dModel = 256
    public var encoderLayers = 3
    public var decoderLayers = 3
    public var heads = 4
    public var ffnDim = 1024
    /// `swish`, `relu` or `gelu`.
    public var activation = "swish"
    /// Dropout where `MarianMTModel` applies it (embeddings, sublayer outputs), in training.
    public var dropout = 0.1
    public var labelSmoothing = 0.1
    /// Peak learning rate, reached after `warmupSteps` updates (``InverseSquareRootSchedule``).
    public var learningRate = 1e-3
    public var warmupSteps = 1000
    public var beta2 = 0.98
    public var epsilon = 1e-9
    /// Target tokens (with `</s>`) per mini-batch, about.
    public var batchTokens = 3000
    /// SentencePiece pieces kept of each sentence (then `</s>`); longer ones are cut.
    public var maxTokensPerSentence = 126
    /// Epochs of the whole run; `nil` with `maxMinutes` for a time budget only.
    public var epochs: Int? = 10
    /// Training time of the whole run (every session), in minutes, if limited.
    public var maxMinutes: Double?
    /// Pieces of each SentencePiece model (English and French) learnt by the run.
    public var vocabSize = 8000
    /// Pairs read from the data file (the first ones), or all when `nil`.
    public var maxPairs: Int?
    /// Share of the distinct sources held out for validation.
    public var validationFraction = 0.0
    /// Seed of the initialisation, the SentencePiece models, the split, the batch order and the dropout.
    public var seed: UInt64 = 0
    /// Largest global gradient norm.
    public var gradientClip = 1.0
    /// Parts each mini-batch is computed in, side by side on as many threads
    /// (``TransformerTrainingStep``); part of the numerics, kept by a resumed run.
    public var shards = 2

    public init() {}

    /// The activation, when supported.
    public var activationFunction: Activation? { Activation(rawValue: activation == "silu" ? "swish" : activation) }

    /// A description of the first invalid value, or `nil` when all are usable.
    public var problem: String? {
        for (name, value) in [
            ("d-model", dModel), ("encoder-layers", encoderLayers), ("decoder-layers", decoderLayers), ("heads", heads),
            ("ffn-dim", ffnDim), ("warmup-steps", warmupSteps), ("batch-tokens", batchTokens),
            ("max-tokens-per-sentence", maxTokensPerSentence), ("epochs", epochs ?? 1), ("max-pairs", maxPairs ?? 1),
            ("shards", shards),
        ] where value < 1 {
            return "--\(name) must be at least 1, not \(value)"
        }
        if dModel % heads != 0 { return "--heads \(heads) does not divide --d-model \(dModel)" }
        if dModel % 2 != 0 { return "--d-model must be even (sinusoidal positions), not \(dModel)" }
        if maxTokensPerSentence + 1 > 256 { return "--max-tokens-per-sentence must be at most 255 (256 positions with </s>)" }
        if vocabSize < 10 { return "--vocab-size must be at least 10, not \(vocabSize)" }
        if activationFunction == nil { return "--activation must be swish, relu or gelu, not \(activation)" }
        if !(0..<1).contains(dropout) { return "--dropout must be in [0, 1), not \(dropout)" }
        if !(0..<1).contains(labelSmoothing) { return "--label-smoothing must be in [0, 1), not \(labelSmoothing)" }
        if !(learningRate > 0) { return "--lr must be positive, not \(learningRate)" }
        if let maxMinutes, !(maxMinutes > 0) { return "--max-minutes must be positive, not \(maxMinutes)" }
        if epochs == nil && maxMinutes == nil { return "give --epochs or --max-minutes" }
        if !(0..<1).contains(validationFraction) { return "--val-fraction must be in [0, 1), not \(validationFraction)" }
        if !(gradientClip > 0) { return "the gradient clipping norm must be positive, not \(gradientClip)" }
        return nil
    }
}

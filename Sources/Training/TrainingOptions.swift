/// The hyper-parameters of a training run, d2l 0.17's by default. Saved in `training.json`
/// so that `--resume` continues the same run.
public struct TrainingOptions: Codable, Equatable, Sendable {
    /// Embedding width `E`.
    public var embedSize = 32
    /// GRU hidden width `H`.
    public var numHiddens = 32
    /// Stacked GRU layers.
    public var numLayers = 2
    /// Dropout between GRU layers, in training only.
    public var dropout = 0.1
    /// Adam's learning rate.
    public var learningRate = 0.005
    /// Epochs of the whole run (a resumed run continues up to this many).
    public var epochs = 300
    /// Examples per mini-batch.
    public var batchSize = 64
    /// Truncation length of sources and targets, in tokens (with `<eos>`).
    public var numSteps = 10
    /// Fewest occurrences of a token in the training split to enter the vocabulary.
    public var minFrequency = 2
    /// Pairs read from the data file (the first ones), or all when `nil`.
    public var maxPairs: Int?
    /// Share of the distinct sources held out for validation.
    public var validationFraction = 0.0
    /// Seed of the initialisation, the validation split, the shuffling and the dropout.
    public var seed: UInt64 = 0
    /// Largest global gradient norm; larger gradients are scaled down to it.
    public var gradientClip = 1.0

    public init() {}

    /// Decoding length limit stored in the model's `config.json`: twice `numSteps`.
    public var maxLen: Int { 2 * numSteps }

    /// A description of the first invalid value, or `nil` when all are usable.
    public var problem: String? {
        for (name, value) in [
            ("embed-size", embedSize), ("num-hiddens", numHiddens), ("num-layers", numLayers), ("epochs", epochs),
            ("batch-size", batchSize), ("num-steps", numSteps), ("min-freq", minFrequency), ("max-pairs", maxPairs ?? 1),
        ] where value < 1 {
            return "--\(name) must be at least 1, not \(value)"
        }
        if !(0..<1).contains(dropout) { return "--dropout must be in [0, 1), not \(dropout)" }
        if !(learningRate > 0) { return "--lr must be positive, not \(learningRate)" }
        if !(0..<1).contains(validationFraction) { return "--val-fraction must be in [0, 1), not \(validationFraction)" }
        if !(gradientClip > 0) { return "the gradient clipping norm must be positive, not \(gradientClip)" }
        return nil
    }
}

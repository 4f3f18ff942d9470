/// What `training.json` holds beside a Transformer checkpoint: the run's options, where it
/// stands (to the mini-batch, so that a run stopped by its time budget resumes mid-epoch and
/// ends as an uninterrupted one would), the history, and a fingerprint tying it to the weights
/// and the optimizer moments saved with it.
struct TransformerTrainingState: Codable, Equatable {
    /// `"transformer"`: tells a Transformer checkpoint from a GRU one.
    var architecture = "transformer"
    var options: TransformerTrainingOptions
    /// Optimizer updates so far.
    var step: Int
    /// Mini-batches done in the epoch under way (`history.count + 1`); 0 at an epoch's end.
    var batchInEpoch: Int
    /// Sums over the epoch under way: plain cross-entropy × tokens, tokens, seconds.
    var epochLossSum: Double
    var epochTokens: Int
    var epochSeconds: Double
    /// Seconds spent in training steps over the whole run, every session.
    var trainingSeconds: Double
    /// Finished epochs.
    var history: [EpochRecord]
    /// ``fingerprint(_:)`` of the weights and the optimizer moments, in hex.
    var fingerprint: String
}

import Foundation

/// The figures of one finished epoch, a row of `training.csv`.
public struct EpochRecord: Codable, Equatable, Sendable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean training cross-entropy per target token, in nats (with dropout).
    public var trainLoss: Double
    /// Mean validation cross-entropy per target token, in nats, when there is a validation split.
    public var validationLoss: Double?
    /// Corpus BLEU (0–100) of greedy translations of the validation sources, when there is a split.
    public var bleu: Double?
    /// Training throughput, target tokens per second.
    public var tokensPerSecond: Double

    public init(epoch: Int, trainLoss: Double, validationLoss: Double?, bleu: Double?, tokensPerSecond: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.bleu = bleu
        self.tokensPerSecond = tokensPerSecond
    }
}

/// `training.csv`: a header and one row per epoch (`epoch,train_loss,val_loss,bleu,tokens_per_s`);
/// validation cells are empty without a validation split.
public func trainingCSV(_ history: [EpochRecord]) -> String {
    func cell(_ x: Double?, _ format: String) -> String { x.map { String(format: format, $0) } ?? "" }
    var text = "epoch,train_loss,val_loss,bleu,tokens_per_s\n"
    for r in history {
        text += "\(r.epoch),\(cell(r.trainLoss, "%.6f")),\(cell(r.validationLoss, "%.6f")),\(cell(r.bleu, "%.2f")),"
            + "\(cell(r.tokensPerSecond, "%.0f"))\n"
    }
    return text
}

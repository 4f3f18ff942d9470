import Foundation

/// Where an epoch stands, reported after every mini-batch.
public struct EpochProgress: Sendable, Equatable {
    /// 1-based epoch number and the run's last epoch.
    public var epoch: Int
    public var epochs: Int
    /// Mini-batches done in this epoch and in all.
    public var batchesDone: Int
    public var batches: Int
    /// Mean training loss so far in this epoch, nats per token.
    public var loss: Double
    /// Target tokens per second so far in this epoch.
    public var tokensPerSecond: Double
    /// Seconds since the epoch began.
    public var elapsed: Double

    /// Estimated seconds left in this epoch (training batches only).
    public var remaining: Double {
        batchesDone == 0 ? 0 : elapsed * Double(batches - batchesDone) / Double(batchesDone)
    }

    /// A one-line progress bar for a terminal:
    /// `epoch 3/10 [#########-----------] 45/100 loss 2.345 4,512 tok/s ETA 0:12`.
    public func bar(width: Int = 20) -> String {
        let filled = batches == 0 ? width : width * batchesDone / batches
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        return "epoch \(epoch)/\(epochs) [\(bar)] \(batchesDone)/\(batches) loss \(String(format: "%.3f", loss)) "
            + "\(Int(tokensPerSecond.rounded())) tok/s ETA \(clock(remaining))"
    }
}

/// `m:ss`, or `h:mm:ss` from an hour on.
func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
    return h > 0 ? String(format: "%d:%02d:%02d", h, m, r) : String(format: "%d:%02d", m, r)
}

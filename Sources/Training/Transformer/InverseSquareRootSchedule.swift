/// The learning rate of update `t` (1-based): linear warm-up to `peak` over `warmupSteps`
/// updates, then decay as `1/√t`:
///
///     lr(t) = peak · min(t / warmup, √(warmup / t))
///
/// The schedule of the PyTorch reference recipe (`LambdaLR` with
/// `min((s + 1) / warm, √(warm / (s + 1)))`, stepped after every update) and of fairseq's
/// `inverse_sqrt` from a zero initial rate.
public struct InverseSquareRootSchedule: Codable, Equatable, Sendable {
    public var peak: Double
    public var warmupSteps: Int

    public init(peak: Double, warmupSteps: Int) {
        precondition(peak > 0 && warmupSteps >= 1)
        self.peak = peak
        self.warmupSteps = warmupSteps
    }

    /// The rate of update `t` (`t ≥ 1`).
    public func learningRate(step t: Int) -> Double {
        precondition(t >= 1)
        let (s, w) = (Double(t), Double(warmupSteps))
        return peak * min(s / w, (w / s).squareRoot())
    }
}

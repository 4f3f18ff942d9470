import Logging
import Metrics
import Synchronization
import ZeroMQ

/// Counts the peers a stage's CURVE sockets refuse (`seq2seq_auth_failures_total{stage}`)
/// and logs them: the first at once, then at most one line per ``interval``, which says
/// how many were refused since the last line. A peer retrying in a loop thus cannot flood
/// the log.
final class RefusalLog: Sendable {
    /// Least time between two log lines.
    static let interval: Duration = .seconds(5)

    private let logger: Logger
    private let failures: Counter
    /// When the last line was logged, and the refusals not logged since.
    private let state = Mutex<(lastLine: ContinuousClock.Instant?, unlogged: Int)>((nil, 0))

    init(stage: String, logger: Logger) {
        self.logger = logger
        failures = Counter(label: "seq2seq_auth_failures_total", dimensions: [("stage", stage)])
    }

    /// Counts `failure`, and logs it unless a line was logged within ``interval``.
    func record(_ failure: AuthFailure) {
        failures.increment()
        let now = ContinuousClock.now
        let refused: Int? = state.withLock { state in
            state.unlogged += 1
            if let last = state.lastLine, now - last < Self.interval { return nil }
            defer { state = (now, 0) }
            return state.unlogged
        }
        guard let refused else { return }
        logger.warning(
            "peer refused",
            metadata: [
                "peer": "\(failure.peer)", "reason": "\(failure.reason)",
                "public_key": "\(failure.publicKey?.text ?? "none")", "refused_since_last_line": "\(refused)",
            ])
    }
}

/// Why a ``Requester`` gave no records for a request.
public enum RequesterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not every record came back within the time allowed.
    case timedOut(Duration)
    /// The requester has been closed.
    case closed
    /// The task waiting for the records was cancelled (its HTTP client went away).
    case cancelled

    public var description: String {
        switch self {
        case .timedOut(let timeout):
            "the translation pipeline did not answer within \(Self.seconds(timeout)) s (is it running, and not overloaded?)"
        case .closed: "the connection to the translation pipeline is closed"
        case .cancelled: "the request was cancelled"
        }
    }

    /// `timeout` in seconds, without a fraction when it is whole.
    private static func seconds(_ timeout: Duration) -> String {
        let (whole, attoseconds) = timeout.components
        return attoseconds == 0 ? "\(whole)" : "\(Double(whole) + Double(attoseconds) / 1e18)"
    }
}

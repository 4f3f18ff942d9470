/// What a consumer sends to the deliver endpoint (see docs/PROTOCOL.md):
/// `["ready", window]`, at connection and then every half second (a heartbeat), where the
/// window is the most records it will have unacknowledged, in ASCII decimal; and
/// `["ack", record id, record id, …]` for records it has taken.
public enum ConsumerMessage: Equatable, Sendable {
    case ready(window: Int)
    case ack(ids: [[UInt8]])

    static let readyVerb = Array("ready".utf8)
    static let ackVerb = Array("ack".utf8)

    /// The message's frames.
    public var frames: [[UInt8]] {
        switch self {
        case .ready(let window): [Self.readyVerb, Array(String(window).utf8)]
        case .ack(let ids): [Self.ackVerb] + ids
        }
    }

    /// Reads a consumer message; nil if it is not one.
    public init?(frames: [[UInt8]]) {
        guard let verb = frames.first else { return nil }
        if verb == Self.ackVerb {
            self = .ack(ids: Array(frames.dropFirst()))
        } else if verb == Self.readyVerb, frames.count == 2, let window = Int(String(decoding: frames[1], as: UTF8.self)), window >= 0 {
            self = .ready(window: window)
        } else {
            return nil
        }
    }
}

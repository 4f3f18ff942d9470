import CZeroMQ

/// Connection events of a socket (`ZMQ_EVENT_*`), as a ``SocketMonitor`` reports them.
public struct SocketEvents: OptionSet, Sendable, Hashable {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// A connection was made (`ZMQ_EVENT_CONNECTED`).
    public static let connected = SocketEvents(rawValue: ZMQ_EVENT_CONNECTED)
    /// A connection was lost (`ZMQ_EVENT_DISCONNECTED`).
    public static let disconnected = SocketEvents(rawValue: ZMQ_EVENT_DISCONNECTED)
    /// A connection's ZMTP handshake completed: messages can flow (`ZMQ_EVENT_HANDSHAKE_SUCCEEDED`).
    public static let handshakeSucceeded = SocketEvents(rawValue: ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
    /// A handshake failed for want of the peer's protocol: another security mechanism (a
    /// plain peer at a CURVE socket), a CURVE message that does not decrypt (a client with
    /// another server key), malformed ZMTP (`ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`).
    public static let handshakeFailedProtocol = SocketEvents(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)
    /// A handshake failed without a known reason, e.g. no ZAP handler with
    /// `ZMQ_ZAP_ENFORCE_DOMAIN` (`ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`).
    public static let handshakeFailedNoDetail = SocketEvents(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)
    /// The ZAP handler refused the peer (`ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`).
    public static let handshakeFailedAuth = SocketEvents(rawValue: ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
}

/// Reports the connection events of a socket (`zmq_socket_monitor`): libzmq publishes them on
/// an inproc endpoint, which a PAIR socket of the same context reads.
///
/// Events are queued in the order they happen; read them on one thread at a time (the
/// thread that uses the monitored socket, or one the monitor was handed to).
public final class SocketMonitor: @unchecked Sendable {
    /// The PAIR socket the events arrive on; poll it for ``PollEvents/readable``.
    public let pair: Socket

    /// Starts reporting `events` of `socket`.
    public init(_ socket: Socket, events: SocketEvents) throws(ZMQError) {
        let endpoint = "inproc://seq2seq-monitor-\(UInt64.random(in: 0...UInt64.max))"
        let handle = try socket.openHandle(for: "zmq_socket_monitor")
        try zmqCall("zmq_socket_monitor") { zmq_socket_monitor(handle, endpoint, events.rawValue) }
        pair = try Socket(socket.context, type: .pair)
        try pair.set(.linger, 0)
        try pair.connect(endpoint)
    }

    /// The next event that has happened, without waiting; nil if none is waiting.
    public func next() throws(ZMQError) -> SocketEvents? {
        try nextWithEndpoint()?.event
    }

    /// The next event that has happened and the endpoint it concerns (for a bound socket, the
    /// bound address), without waiting; nil if none is waiting.
    public func nextWithEndpoint() throws(ZMQError) -> (event: SocketEvents, endpoint: String)? {
        guard let message = try pair.receive(dontWait: true), let first = message.first, first.count >= 2 else { return nil }
        // Frame 1: u16 event number (host order), u32 value; frame 2: the endpoint.
        let event = SocketEvents(rawValue: Int32(UInt16(first[0]) | UInt16(first[1]) << 8))
        return (event, message.count > 1 ? String(decoding: message[1], as: UTF8.self) : "")
    }
}

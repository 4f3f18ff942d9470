import CZeroMQ

/// A socket option (`zmq_setsockopt` / `zmq_getsockopt`) whose value has type `Value`;
/// read and write it with the socket's `get(_:)` and `set(_:_:)`:
///
///     try socket.set(.sendHighWaterMark, 1000)
///     try socket.set(.immediate, true)
///     let linger = try socket.get(.linger)
///
/// Options that shape connections (high-water marks, ``maxMessageSize``, ``immediate``,
/// heartbeats, reconnect intervals) must be set before ``Socket/bind(_:)`` or
/// ``Socket/connect(_:)`` to apply to them. Times are in milliseconds.
public struct SocketOption<Value>: Sendable, CustomStringConvertible {
    /// The `ZMQ_*` option number.
    let code: Int32
    let width: OptionWidth
    /// The C name of the option, e.g. `"ZMQ_SNDHWM"`.
    public let description: String
}

/// How wide a socket option's value is in C.
enum OptionWidth: Sendable {
    case int32, int64
}

extension SocketOption where Value == Int {
    private init(int32 code: Int32, _ name: String) {
        self.init(code: code, width: .int32, description: name)
    }

    /// `ZMQ_SNDHWM`: most messages queued per peer for sending (0 = no limit; default
    /// 1000). When reached, PUSH blocks, or a ``Socket/send(_:dontWait:)`` with
    /// `dontWait` returns false.
    public static var sendHighWaterMark: Self { Self(int32: ZMQ_SNDHWM, "ZMQ_SNDHWM") }
    /// `ZMQ_RCVHWM`: most messages queued per peer on the receiving side (0 = no limit).
    public static var receiveHighWaterMark: Self { Self(int32: ZMQ_RCVHWM, "ZMQ_RCVHWM") }
    /// `ZMQ_LINGER`: how long pending outgoing messages are kept after ``Socket/close()``
    /// (ms; -1 = until sent, the default, which also makes ``Context/close()`` wait; 0 =
    /// discard at once).
    public static var linger: Self { Self(int32: ZMQ_LINGER, "ZMQ_LINGER") }
    /// `ZMQ_SNDTIMEO`: how long a blocking send waits before it returns false (ms;
    /// -1 = forever, the default).
    public static var sendTimeout: Self { Self(int32: ZMQ_SNDTIMEO, "ZMQ_SNDTIMEO") }
    /// `ZMQ_RCVTIMEO`: how long a blocking receive waits before it returns nil (ms;
    /// -1 = forever, the default).
    public static var receiveTimeout: Self { Self(int32: ZMQ_RCVTIMEO, "ZMQ_RCVTIMEO") }
    /// `ZMQ_MAXMSGSIZE`: largest inbound frame, in bytes (-1 = no limit, the default).
    /// libzmq checks each frame, not the message as a whole. A peer that sends a larger
    /// frame over a transport with framing (tcp, ipc; not inproc) is disconnected and the
    /// message is lost; a connecting peer then reconnects and carries on.
    public static var maxMessageSize: Self {
        Self(code: ZMQ_MAXMSGSIZE, width: .int64, description: "ZMQ_MAXMSGSIZE")
    }
    /// `ZMQ_HEARTBEAT_IVL`: interval between ZMTP PINGs (ms; 0 = no heartbeats, the
    /// default).
    public static var heartbeatInterval: Self {
        Self(int32: ZMQ_HEARTBEAT_IVL, "ZMQ_HEARTBEAT_IVL")
    }
    /// `ZMQ_HEARTBEAT_TIMEOUT`: how long to wait for any traffic after a PING before the
    /// connection is deemed dead (ms; default: the heartbeat interval).
    public static var heartbeatTimeout: Self {
        Self(int32: ZMQ_HEARTBEAT_TIMEOUT, "ZMQ_HEARTBEAT_TIMEOUT")
    }
    /// `ZMQ_HEARTBEAT_TTL`: the time-to-live the peer is told to apply to this side's
    /// PINGs (ms, kept in tenths of a second, at most 6,553,599).
    public static var heartbeatTTL: Self { Self(int32: ZMQ_HEARTBEAT_TTL, "ZMQ_HEARTBEAT_TTL") }
    /// `ZMQ_RECONNECT_IVL`: wait before reconnecting a lost or refused connection (ms;
    /// default 100; -1 = never reconnect).
    public static var reconnectInterval: Self {
        Self(int32: ZMQ_RECONNECT_IVL, "ZMQ_RECONNECT_IVL")
    }
    /// `ZMQ_RECONNECT_IVL_MAX`: upper bound of the exponential back-off between reconnects
    /// (ms; 0 = no back-off, the default).
    public static var reconnectIntervalMax: Self {
        Self(int32: ZMQ_RECONNECT_IVL_MAX, "ZMQ_RECONNECT_IVL_MAX")
    }
}

extension SocketOption where Value == Bool {
    /// `ZMQ_ROUTER_MANDATORY`: a ``SocketType/router`` send to a peer it does not know (never
    /// connected, or gone) fails with `EHOSTUNREACH`, and one that would pass the high-water
    /// mark returns false with `dontWait`, instead of the message being dropped silently
    /// (default false).
    public static var routerMandatory: Self {
        Self(code: ZMQ_ROUTER_MANDATORY, width: .int32, description: "ZMQ_ROUTER_MANDATORY")
    }

    /// `ZMQ_IMMEDIATE`: queue messages only to completed connections (default false). With
    /// it, a connecting PUSH that has no live peer refuses to send (false with `dontWait`)
    /// instead of queueing for a peer that may never come.
    public static var immediate: Self {
        Self(code: ZMQ_IMMEDIATE, width: .int32, description: "ZMQ_IMMEDIATE")
    }
}

extension SocketOption where Value == Bool {
    /// `ZMQ_CURVE_SERVER`: the socket is the server side of CURVE (needs
    /// ``SocketOption/curveSecretKey``).
    public static var curveServer: Self {
        Self(code: ZMQ_CURVE_SERVER, width: .int32, description: "ZMQ_CURVE_SERVER")
    }

    /// `ZMQ_ZAP_ENFORCE_DOMAIN`: always ask the ZAP handler, and refuse every connection when
    /// there is none (default false: without a handler, CURVE lets any client in). A draft
    /// option in zmq.h (93), which Debian's libzmq is built with.
    public static var zapEnforceDomain: Self {
        Self(code: 93, width: .int32, description: "ZMQ_ZAP_ENFORCE_DOMAIN")
    }
}

extension SocketOption where Value == CurveKey {
    /// `ZMQ_CURVE_SECRETKEY`: this side's secret key.
    public static var curveSecretKey: Self { Self(code: ZMQ_CURVE_SECRETKEY, width: .int32, description: "ZMQ_CURVE_SECRETKEY") }
    /// `ZMQ_CURVE_PUBLICKEY`: a client's own public key.
    public static var curvePublicKey: Self { Self(code: ZMQ_CURVE_PUBLICKEY, width: .int32, description: "ZMQ_CURVE_PUBLICKEY") }
    /// `ZMQ_CURVE_SERVERKEY`: a client's idea of the server's public key.
    public static var curveServerKey: Self { Self(code: ZMQ_CURVE_SERVERKEY, width: .int32, description: "ZMQ_CURVE_SERVERKEY") }
}

extension SocketOption where Value == String {
    /// `ZMQ_ZAP_DOMAIN`: the domain a bound socket names in its ZAP requests.
    public static var zapDomain: Self { Self(code: ZMQ_ZAP_DOMAIN, width: .int32, description: "ZMQ_ZAP_DOMAIN") }
}

extension Socket {
    /// Sets a CURVE key option, as its 40 Z85 characters.
    public func set(_ option: SocketOption<CurveKey>, _ value: CurveKey) throws(ZMQError) {
        try setOption(option.code, Array(value.text.utf8))
    }

    /// Reads a CURVE key option (libzmq gives it as Z85 text when asked for 41 bytes).
    public func get(_ option: SocketOption<CurveKey>) throws(ZMQError) -> CurveKey {
        let bytes = try getOption(option.code, capacity: CurveKey.textLength + 1)
        guard let key = CurveKey(text: String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)) else {
            throw ZMQError(code: EINVAL, function: "zmq_getsockopt")
        }
        return key
    }

    /// Sets a string option.
    public func set(_ option: SocketOption<String>, _ value: String) throws(ZMQError) {
        try setOption(option.code, Array(value.utf8))
    }

    /// Sets an integer option. Throws `EINVAL` for a value libzmq rejects or that does not
    /// fit the option's C type.
    public func set(_ option: SocketOption<Int>, _ value: Int) throws(ZMQError) {
        try setInteger(value, code: option.code, width: option.width)
    }

    /// Reads an integer option.
    public func get(_ option: SocketOption<Int>) throws(ZMQError) -> Int {
        try getInteger(code: option.code, width: option.width)
    }

    /// Sets a boolean option.
    public func set(_ option: SocketOption<Bool>, _ value: Bool) throws(ZMQError) {
        try setInteger(value ? 1 : 0, code: option.code, width: option.width)
    }

    /// Reads a boolean option.
    public func get(_ option: SocketOption<Bool>) throws(ZMQError) -> Bool {
        try getInteger(code: option.code, width: option.width) != 0
    }

    /// The endpoint this socket last bound or connected to (`ZMQ_LAST_ENDPOINT`), with
    /// wildcards resolved: after `bind("tcp://127.0.0.1:*")` it is e.g.
    /// `"tcp://127.0.0.1:41237"`. Empty if there is none.
    public var lastEndpoint: String {
        get throws(ZMQError) {
            // Endpoints are short: an ipc path is at most 107 bytes, a tcp address far less.
            let bytes = try getOption(ZMQ_LAST_ENDPOINT, capacity: 512)
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Whether the frame last received is followed by more frames of the same message
    /// (`ZMQ_RCVMORE`). ``receive(dontWait:)`` already gathers all frames.
    public var hasMoreFrames: Bool {
        get throws(ZMQError) { try getInteger(code: ZMQ_RCVMORE, width: .int32) != 0 }
    }

    /// Whether a message can be received or sent right now without blocking
    /// (`ZMQ_EVENTS`).
    public var events: PollEvents {
        get throws(ZMQError) {
            let events = try getInteger(code: ZMQ_EVENTS, width: .int32)
            return PollEvents(rawValue: Int16(truncatingIfNeeded: events))
        }
    }

    /// Makes a ``SocketType/sub`` socket receive messages whose first frame starts with
    /// `prefix` (`ZMQ_SUBSCRIBE`; an empty prefix matches everything).
    public func subscribe(_ prefix: [UInt8]) throws(ZMQError) {
        try setOption(ZMQ_SUBSCRIBE, prefix)
    }

    /// Names this socket to the ``SocketType/router`` peers it connects to
    /// (`ZMQ_ROUTING_ID`, 1 to 255 bytes, set before connecting): a router addresses the
    /// connection by it instead of by a name of its own choosing, so several sockets (for
    /// instance a DEALER to one router and a DEALER to another) can share one identity.
    public func setRoutingID(_ id: [UInt8]) throws(ZMQError) {
        try setOption(ZMQ_ROUTING_ID, id)
    }

    /// Undoes one ``subscribe(_:)`` of the same prefix (`ZMQ_UNSUBSCRIBE`).
    public func unsubscribe(_ prefix: [UInt8]) throws(ZMQError) {
        try setOption(ZMQ_UNSUBSCRIBE, prefix)
    }

    // MARK: - Raw access

    private func setInteger(
        _ value: Int, code: Int32, width: OptionWidth
    ) throws(ZMQError) {
        switch width {
        case .int32:
            guard let value = Int32(exactly: value) else {
                throw ZMQError(code: EINVAL, function: "zmq_setsockopt")
            }
            try setOption(code, withUnsafeBytes(of: value, Array.init))
        case .int64:
            try setOption(code, withUnsafeBytes(of: Int64(value), Array.init))
        }
    }

    func getInteger(code: Int32, width: OptionWidth) throws(ZMQError) -> Int {
        switch width {
        case .int32:
            Int(try getOption(code, capacity: 4).withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
        case .int64:
            Int(try getOption(code, capacity: 8).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) })
        }
    }

    private func setOption(_ code: Int32, _ value: [UInt8]) throws(ZMQError) {
        let handle = try openHandle(for: "zmq_setsockopt")
        try zmqCall("zmq_setsockopt") {
            value.withUnsafeBytes { zmq_setsockopt(handle, code, $0.baseAddress, $0.count) }
        }
    }

    /// Reads option `code` into a buffer of `capacity` bytes; returns the bytes libzmq wrote.
    private func getOption(_ code: Int32, capacity: Int) throws(ZMQError) -> [UInt8] {
        let handle = try openHandle(for: "zmq_getsockopt")
        var value = [UInt8](repeating: 0, count: capacity)
        var size = capacity
        try zmqCall("zmq_getsockopt") {
            value.withUnsafeMutableBytes { zmq_getsockopt(handle, code, $0.baseAddress, &size) }
        }
        return Array(value[..<size])
    }
}

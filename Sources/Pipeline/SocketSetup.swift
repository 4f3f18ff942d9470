import ZeroMQ

extension Socket {
    /// A socket of `type` with `linger` (ms) and the given high-water marks set, bound to or
    /// connected to `endpoint`, secured by `security` (a CURVE server when it binds, a client
    /// when it connects; plain without).
    static func make(
        _ context: Context, _ type: SocketType, bind: String? = nil, connect: String? = nil,
        linger: Int = 0, highWaterMark: Int? = nil, security: StageSecurity? = nil,
        configure: (Socket) throws -> Void = { _ in }
    ) throws -> Socket {
        let socket = try Socket(context, type: type)
        try socket.set(.linger, linger)
        if let highWaterMark {
            try socket.set(type == .push ? .sendHighWaterMark : .receiveHighWaterMark, highWaterMark)
        }
        try configure(socket)
        try security?.prepare(socket, binding: bind != nil)
        if let bind {
            try socket.bind(bind)
            try security?.watch(socket)
        }
        if let connect { try socket.connect(connect) }
        return socket
    }

    /// Receives every message waiting now, at most `limit`, handing each to `body`.
    func drain(limit: Int, _ body: ([[UInt8]]) throws -> Void) throws {
        for _ in 0..<limit {
            guard let message = try receive(dontWait: true) else { return }
            try body(message)
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up, for socket options and poll timeouts.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}

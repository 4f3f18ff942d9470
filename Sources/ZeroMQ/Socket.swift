import CZeroMQ

/// A ZeroMQ socket (`zmq_socket`).
///
/// Thread safety: like the libzmq socket it wraps, a `Socket` must be used by one thread
/// at a time. It may be created on one thread and handed to another (hence
/// `@unchecked Sendable`), provided the first thread stops using it; two threads must
/// never call into the same socket concurrently, and only one of them may ``close()`` it.
/// To wake a thread blocked in a call on a socket, use ``Context/shutdown()``, or better,
/// block only in short slices (``receive(timeout:)``, ``Poller/poll(timeout:)``) and check
/// a stop flag between them.
///
/// Lifetime: the socket keeps its ``context`` alive. ``close()`` (or `deinit`) closes it;
/// after that every call throws `ENOTSOCK` rather than touching freed memory.
public final class Socket: @unchecked Sendable {
    /// The context the socket was made from; kept alive as long as the socket.
    public let context: Context
    /// The socket's messaging pattern.
    public let type: SocketType
    /// The libzmq handle, nil once closed.
    private var handle: UnsafeMutableRawPointer?

    /// Creates a socket of `type` in `context` (`zmq_socket`). Throws `ETERM` if the
    /// context is closed or shut down, `EMFILE` when the context's socket limit is reached.
    public init(_ context: Context, type: SocketType) throws(ZMQError) {
        self.context = context
        self.type = type
        handle = try context.withOpenHandle("zmq_socket") { context throws(ZMQError) in
            try zmqCall("zmq_socket") { zmq_socket(context, type.cValue) }
        }
    }

    deinit {
        try? close()
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { handle == nil }

    /// Closes the socket (`zmq_close`). Pending outgoing messages are still sent in the
    /// background for the ``SocketOption/linger`` period. Closing twice does nothing.
    public func close() throws(ZMQError) {
        guard let handle else { return }
        self.handle = nil
        try zmqCall("zmq_close") { zmq_close(handle) }
    }

    /// Accepts connections on `endpoint` (`zmq_bind`), e.g. `tcp://127.0.0.1:5555`,
    /// `tcp://127.0.0.1:*` (a free port; read it back with ``lastEndpoint``),
    /// `ipc:///tmp/name` or `inproc://name`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        try endpointCall("zmq_bind", endpoint, zmq_bind)
    }

    /// Connects to `endpoint` (`zmq_connect`). The connection is made, and remade after a
    /// loss, in the background; this returns at once.
    public func connect(_ endpoint: String) throws(ZMQError) {
        try endpointCall("zmq_connect", endpoint, zmq_connect)
    }

    /// Stops accepting connections on a bound `endpoint` (`zmq_unbind`); pass the
    /// resolved address from ``lastEndpoint`` for a wildcard bind.
    public func unbind(_ endpoint: String) throws(ZMQError) {
        try endpointCall("zmq_unbind", endpoint, zmq_unbind)
    }

    /// Drops a connection made with ``connect(_:)`` (`zmq_disconnect`).
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        try endpointCall("zmq_disconnect", endpoint, zmq_disconnect)
    }

    /// The handle to pass to libzmq, or `ENOTSOCK` for `function` once the socket is closed.
    func openHandle(for function: String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else { throw ZMQError(code: ENOTSOCK, function: function) }
        return handle
    }

    private func endpointCall(
        _ function: String, _ endpoint: String,
        _ call: (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    ) throws(ZMQError) {
        let handle = try openHandle(for: function)
        try zmqCall(function) { call(handle, endpoint) }
    }
}

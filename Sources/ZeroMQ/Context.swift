import CZeroMQ
import Synchronization

/// A ZeroMQ context (`zmq_ctx_new`): the owner of the I/O threads and of every socket made
/// from it. `inproc://` endpoints are only visible to sockets of the same context.
///
/// Thread safety: libzmq contexts are thread-safe, and so is this class; one context is
/// normally shared by all the threads of a process.
///
/// Lifetime: every ``Socket`` holds a strong reference to its context, so the context is
/// terminated (`zmq_ctx_term`) only once all its sockets are gone, or when ``close()`` is
/// called. Termination waits until every socket is closed and, per socket, until its
/// pending outgoing messages are sent or its ``SocketOption/linger`` period has passed
/// (the default linger is infinite, so set it on sockets that may hold undeliverable
/// messages).
public final class Context: @unchecked Sendable {
    /// The `void *` libzmq handle; valid while `isOpen` holds.
    private let handle: UnsafeMutableRawPointer
    /// Whether the handle may still be used; guards against use after `zmq_ctx_term`.
    private let isOpen = Mutex(true)

    /// Creates a context.
    ///
    /// - Parameter ioThreads: the number of I/O threads (`ZMQ_IO_THREADS`); libzmq's
    ///   default (1) when nil.
    public init(ioThreads: Int? = nil) throws(ZMQError) {
        handle = try zmqCall("zmq_ctx_new") { zmq_ctx_new() }
        // If this throws, `deinit` still runs and terminates the new context.
        if let ioThreads {
            try zmqCall("zmq_ctx_set") {
                zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(clamping: ioThreads))
            }
        }
    }

    deinit {
        try? close()
    }

    /// Makes every blocking call on this context's sockets, current and future, fail at
    /// once with `ETERM` (`zmq_ctx_shutdown`), without closing anything; any thread may
    /// call it, e.g. one that handles SIGINT/SIGTERM while workers sit in `receive()`.
    /// The workers then close their sockets. Does nothing once the context is closed.
    public func shutdown() throws(ZMQError) {
        try isOpen.withLock { isOpen throws(ZMQError) in
            guard isOpen else { return }
            try zmqCall("zmq_ctx_shutdown") { zmq_ctx_shutdown(handle) }
        }
    }

    /// Terminates the context (`zmq_ctx_term`), blocking until all its sockets are closed
    /// (see the lifetime notes on ``Context``). Closing twice does nothing; making a socket
    /// from a closed context throws `ETERM`.
    ///
    /// Call it only when every socket of this context is closed or about to be closed by
    /// another thread (after ``shutdown()``, say); otherwise it waits forever. Normally just
    /// let the context go: it terminates once its last socket is released.
    public func close() throws(ZMQError) {
        let wasOpen = isOpen.withLock { isOpen in
            defer { isOpen = false }
            return isOpen
        }
        guard wasOpen else { return }
        try zmqCall("zmq_ctx_term") { zmq_ctx_term(handle) }
    }

    /// Runs `body` with the handle while holding the lock that ``close()`` takes, or
    /// throws `ETERM` (as libzmq does for a terminated context) for `function` if the
    /// context is closed.
    func withOpenHandle<Result>(
        _ function: String, _ body: (UnsafeMutableRawPointer) throws(ZMQError) -> Result
    ) throws(ZMQError) -> Result {
        try isOpen.withLock { isOpen throws(ZMQError) in
            guard isOpen else { throw ZMQError(code: ETERM, function: function) }
            return try body(handle)
        }
    }
}

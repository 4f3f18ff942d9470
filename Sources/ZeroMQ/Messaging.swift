import CZeroMQ

extension Socket {
    /// Sends one message made of `frames` (one `zmq_send` per frame, with `ZMQ_SNDMORE` on
    /// all but the last; empty frames are allowed). ZeroMQ delivers a message whole or not
    /// at all.
    ///
    /// - Parameter dontWait: return at once instead of blocking when the message cannot be
    ///   queued (no peer, high-water mark reached).
    /// - Returns: `false` if the message was not queued: `EAGAIN` with `dontWait`, or after
    ///   ``SocketOption/sendTimeout``; `true` once it is queued.
    /// - Throws: `EINVAL` for an empty `frames`; `EFSM` if the pattern forbids sending now
    ///   (e.g. REQ twice); `ENOTSUP` for a receive-only type; `ETERM`; `ENOTSOCK` once
    ///   closed. `EAGAIN` is mapped to `false` only for the first frame: once it is
    ///   queued, the following frames cannot hit the high-water mark, so an `EAGAIN` there
    ///   is thrown (libzmq then drops the partial message).
    @discardableResult
    public func send(_ frames: [[UInt8]], dontWait: Bool = false) throws(ZMQError) -> Bool {
        let handle = try openHandle(for: "zmq_send")
        guard !frames.isEmpty else { throw ZMQError(code: EINVAL, function: "zmq_send") }
        let wait = dontWait ? ZMQ_DONTWAIT : 0
        for (index, frame) in frames.enumerated() {
            let flags = index == frames.count - 1 ? wait : wait | ZMQ_SNDMORE
            do {
                try zmqCall("zmq_send") {
                    frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
                }
            } catch where error.code == EAGAIN && index == 0 {
                return false
            }
        }
        return true
    }

    /// Sends a message of one frame; see the multipart `send(_:dontWait:)`.
    @discardableResult
    public func send(_ frame: [UInt8], dontWait: Bool = false) throws(ZMQError) -> Bool {
        try send([frame], dontWait: dontWait)
    }

    /// Sends a message of one frame holding the UTF-8 bytes of `text`; see
    /// the multipart `send(_:dontWait:)`.
    @discardableResult
    public func send(_ text: String, dontWait: Bool = false) throws(ZMQError) -> Bool {
        try send([Array(text.utf8)], dontWait: dontWait)
    }

    /// Receives one whole message: all its frames, in order (`zmq_msg_recv` into a
    /// `zmq_msg_t`, so frames of any size, while `ZMQ_RCVMORE` says more follow).
    ///
    /// - Parameter dontWait: return nil at once if no message is waiting.
    /// - Returns: the frames, or nil on `EAGAIN`: nothing waiting with `dontWait`, or
    ///   ``SocketOption/receiveTimeout`` passed.
    /// - Throws: `EFSM` if the pattern forbids receiving now; `ENOTSUP` for a send-only
    ///   type; `ETERM` after ``Context/shutdown()``; `ENOTSOCK` once closed.
    ///
    /// Without `dontWait` and without a receive timeout this blocks until a message comes,
    /// even across signals (`EINTR` is retried); a loop that must stop on SIGINT/SIGTERM
    /// should use ``receive(timeout:)`` or a ``Poller`` instead.
    public func receive(dontWait: Bool = false) throws(ZMQError) -> [[UInt8]]? {
        let handle = try openHandle(for: "zmq_msg_recv")
        // A zmq_msg_t may point into itself, so it gets a fixed address.
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        defer { message.deallocate() }
        try zmqCall("zmq_msg_init") { zmq_msg_init(message) }
        defer { _ = try? zmqCall("zmq_msg_close") { zmq_msg_close(message) } }

        var frames: [[UInt8]] = []
        repeat {
            // The frames of a message arrive together, so only the first one may wait.
            let flags = dontWait || !frames.isEmpty ? ZMQ_DONTWAIT : 0
            do {
                try zmqCall("zmq_msg_recv") { zmq_msg_recv(message, handle, flags) }
            } catch where error.code == EAGAIN && frames.isEmpty {
                return nil
            }
            let bytes = UnsafeRawBufferPointer(
                start: zmq_msg_data(message), count: zmq_msg_size(message))
            frames.append(Array(bytes))
        } while zmq_msg_more(message) != 0
        return frames
    }

    /// Receives one whole message, waiting at most `milliseconds` for it (-1 = forever,
    /// 0 = not at all); nil if none came in time. Waiting is done with a ``Poller``, so a
    /// signal does not cut it short; a message already queued is taken without polling
    /// (`zmq_poll` always makes a system call).
    public func receive(timeout milliseconds: Int) throws(ZMQError) -> [[UInt8]]? {
        if let message = try receive(dontWait: true) { return message }
        guard milliseconds != 0 else { return nil }
        var poller = Poller()
        poller.add(self, for: .readable)
        guard try poller.poll(timeout: milliseconds)[0].contains(.readable) else { return nil }
        return try receive(dontWait: true)
    }
}

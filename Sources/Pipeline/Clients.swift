import ZeroMQ

/// The client end of ingest: a PUSH socket connected to the tokenizer.
public final class Sender {
    private let socket: Socket

    /// Connects to `endpoint`, with CURVE when `curve` is given. Messages not yet delivered
    /// when the sender is released are kept trying for `linger`.
    public init(endpoint: String, linger: Duration, curve: CurveSecurity? = nil) throws {
        socket = try Socket.make(
            Context(), .push, connect: endpoint, linger: linger.milliseconds, security: StageSecurity(client: curve)
        ) {
            try $0.set(.sendTimeout, 100)
        }
    }

    /// Sends one message (one frame of text, or [client id, text]), waiting as long as the
    /// pipeline holds ingest back.
    ///
    /// - Returns: false if `stop` was requested before the message could be queued.
    public func send(_ frames: [[UInt8]], until stop: StopFlag) throws -> Bool {
        while try !socket.send(frames) {
            if stop.isRequested { return false }
        }
        return true
    }
}

/// The client end of output: a PULL socket connected to the sink.
public final class Receiver {
    private let socket: Socket

    /// Connects to `endpoint`, with CURVE when `curve` is given.
    public init(endpoint: String, curve: CurveSecurity? = nil) throws {
        socket = try Socket.make(Context(), .pull, connect: endpoint, security: StageSecurity(client: curve))
    }

    /// The next output frame, waiting until one comes; nil once `stop` is requested.
    public func next(until stop: StopFlag) throws -> [UInt8]? {
        while !stop.isRequested {
            if let message = try socket.receive(timeout: 100) { return Self.frame(message) }
        }
        return nil
    }

    /// The next output frame if one is waiting now.
    public func next() throws -> [UInt8]? {
        try socket.receive(dontWait: true).map(Self.frame)
    }

    /// An output message's one frame (the frames joined, should a sender send several).
    private static func frame(_ message: [[UInt8]]) -> [UInt8] {
        message.count == 1 ? message[0] : Array(message.joined())
    }
}

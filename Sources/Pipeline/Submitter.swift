import ZeroMQ

/// The client end of acknowledged submission: a DEALER socket connected to a tokenizer's
/// submit endpoint (see ``SubmitReply``).
///
/// It keeps every submission until the tokenizer answers it and submits again what has had
/// no answer within `resendAfter` (each further attempt waits twice as long, up to 8×), so
/// that what was lost with a tokenizer that died, or a connection that broke, is sent again;
/// the tokenizer answers a resubmitted id without translating it twice.
///
/// Submissions are accepted in the order they were made: messages are queued only on a
/// live connection (`ZMQ_IMMEDIATE`), so a broken one loses what follows a lost message too;
/// once a connection is lost, nothing new is sent until the next one is up and everything
/// unanswered has been sent again on it, oldest first.
public final class Submitter {
    /// A submission the tokenizer refused, and why.
    public struct Rejection: Equatable, Sendable {
        public let clientID: [UInt8]
        public let reason: String
    }

    /// An unanswered submission.
    private struct Unanswered {
        let text: [UInt8]
        var deadline: ContinuousClock.Instant
        var attempts: Int
    }

    private let socket: Socket
    private let monitor: SocketMonitor
    private let resendAfter: Duration
    private let window: Int
    private var unanswered: [ByteKey: Unanswered] = [:]
    /// Ids in submission order, from `head` on (answered ones are skipped).
    private var order: [[UInt8]] = []
    private var head = 0
    /// Whether the connection was lost (or is not yet up) and the unanswered submissions
    /// are to be sent again, before anything new, once it is up.
    private var recovering = true
    /// Whether a connection is up.
    private var connected = false
    private var nextResendCheck = ContinuousClock.now
    private var nextPump = ContinuousClock.now
    /// Submissions accepted so far.
    public private(set) var accepted = 0
    /// Submissions rejected so far, in the order the answers came.
    public private(set) var rejections: [Rejection] = []

    /// Connects to `endpoint` (with CURVE when `curve` is given); at most `window`
    /// submissions are left unanswered at a time.
    public init(endpoint: String, resendAfter: Duration, window: Int = 1000, curve: CurveSecurity? = nil) throws {
        precondition(window >= 1)
        self.resendAfter = resendAfter
        self.window = window
        socket = try Socket.make(Context(), .dealer, security: StageSecurity(client: curve)) {
            try $0.set(.immediate, true)
            try $0.set(.reconnectInterval, 100)
            try $0.set(.sendHighWaterMark, 2 * window)
        }
        monitor = try SocketMonitor(socket, events: [.disconnected, .handshakeSucceeded])
        try socket.connect(endpoint)
    }

    /// Submits `text` under `clientID` (ids must be unique), first waiting, while taking
    /// answers and resending, until fewer than `window` submissions are unanswered.
    ///
    /// - Returns: false if `stop` was requested first.
    public func submit(_ clientID: [UInt8], _ text: [UInt8], until stop: StopFlag) throws -> Bool {
        while unanswered.count >= window {
            if stop.isRequested { return false }
            try pump(timeout: 50)
        }
        unanswered[ByteKey(clientID)] = Unanswered(text: text, deadline: .now, attempts: 0)
        order.append(clientID)
        // Answers and connection events are taken every millisecond, well within the
        // reconnection interval, so a lost connection is noticed before the next is up.
        if ContinuousClock.now >= nextPump {
            try pump(timeout: 0)
            nextPump = .now + .milliseconds(1)
        }
        if !recovering, !(try send(clientID)) { try followConnection() }
        return true
    }

    /// Waits until every submission has been answered.
    ///
    /// - Returns: false if `stop` was requested first.
    public func finish(until stop: StopFlag) throws -> Bool {
        while !unanswered.isEmpty {
            if stop.isRequested { return false }
            try pump(timeout: 50)
        }
        return true
    }

    /// Takes the answers that come within `timeout` ms (all that are waiting for 0), then
    /// follows the connection and resends what is due, oldest first.
    private func pump(timeout: Int) throws {
        if let first = try socket.receive(timeout: timeout) {
            take(first)
            while let next = try socket.receive(dontWait: true) { take(next) }
        }
        try followConnection()
        guard !recovering, ContinuousClock.now >= nextResendCheck else { return }
        nextResendCheck = .now + .milliseconds(50)
        _ = try resend { $0.deadline <= .now }
    }

    /// Takes the connection's events: after a loss, recovering; once a connection is up,
    /// everything unanswered is sent again, oldest first.
    private func followConnection() throws {
        while let event = try monitor.next() {
            if event.contains(.disconnected) { (connected, recovering) = (false, true) }
            if event.contains(.handshakeSucceeded) { connected = true }
        }
        if recovering && connected { recovering = !(try resend { _ in true }) }
    }

    /// Sends again, oldest first, the unanswered submissions `due` picks; false if the
    /// socket would not take them all.
    private func resend(_ due: (Unanswered) -> Bool) throws -> Bool {
        while head < order.count && unanswered[ByteKey(order[head])] == nil { head += 1 }
        if head >= 1024 && head * 2 >= order.count {
            order.removeFirst(head)
            head = 0
        }
        for clientID in order[head...] {
            guard let entry = unanswered[ByteKey(clientID)], due(entry) else { continue }
            guard try send(clientID) else { return false }
        }
        return true
    }

    /// Sends submission `clientID` (again) and sets its next deadline; false if the socket
    /// cannot take it now.
    @discardableResult
    private func send(_ clientID: [UInt8]) throws -> Bool {
        let key = ByteKey(clientID)
        guard var entry = unanswered[key], try socket.send([clientID, entry.text], dontWait: true) else { return false }
        entry.attempts += 1
        entry.deadline = .now + resendAfter * (1 << min(entry.attempts - 1, 3))
        unanswered[key] = entry
        return true
    }

    private func take(_ answer: [[UInt8]]) {
        guard answer.count >= 2 else { return }
        if answer[0] == SubmitReply.acceptedStatus {
            for clientID in answer.dropFirst() where unanswered.removeValue(forKey: ByteKey(clientID)) != nil { accepted += 1 }
        } else if unanswered.removeValue(forKey: ByteKey(answer[1])) != nil {
            rejections.append(Rejection(clientID: answer[1], reason: String(decoding: answer.dropFirst(2).joined(), as: UTF8.self)))
        }
    }
}

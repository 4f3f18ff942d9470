import ZeroMQ

/// The client end of acknowledged submission: a DEALER socket connected to a tokenizer's
/// submit endpoint (see ``SubmitReply``).
///
/// It keeps every submission until the tokenizer answers it and submits again what has had
/// no answer within `resendAfter` (each further attempt waits twice as long, up to 8×), so
/// that what was lost with a tokenizer that died, or a connection that broke, is sent again;
/// the tokenizer answers a resubmitted id without translating it twice.
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
    private let resendAfter: Duration
    private let window: Int
    private var unanswered: [[UInt8]: Unanswered] = [:]
    private var nextResendCheck = ContinuousClock.now
    /// Submissions accepted so far.
    public private(set) var accepted = 0
    /// Submissions rejected so far, in the order the answers came.
    public private(set) var rejections: [Rejection] = []

    /// Connects to `endpoint`; at most `window` submissions are left unanswered at a time.
    public init(endpoint: String, resendAfter: Duration, window: Int = 1000) throws {
        precondition(window >= 1)
        self.resendAfter = resendAfter
        self.window = window
        socket = try Socket.make(Context(), .dealer, connect: endpoint, highWaterMark: window)
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
        unanswered[clientID] = Unanswered(text: text, deadline: .now, attempts: 0)
        try send(clientID)
        try pump(timeout: 0)
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
    /// resends what is due.
    private func pump(timeout: Int) throws {
        if let first = try socket.receive(timeout: timeout) {
            take(first)
            while let next = try socket.receive(dontWait: true) { take(next) }
        }
        guard ContinuousClock.now >= nextResendCheck else { return }
        nextResendCheck = .now + .milliseconds(50)
        for (clientID, entry) in unanswered where entry.deadline <= .now { try send(clientID) }
    }

    /// Sends submission `clientID` (again) and sets its next deadline; if the socket cannot
    /// take it now, it is tried again at the next check.
    private func send(_ clientID: [UInt8]) throws {
        guard var entry = unanswered[clientID], try socket.send([clientID, entry.text], dontWait: true) else { return }
        entry.attempts += 1
        entry.deadline = .now + resendAfter * (1 << min(entry.attempts - 1, 3))
        unanswered[clientID] = entry
    }

    private func take(_ answer: [[UInt8]]) {
        guard answer.count >= 2, unanswered.removeValue(forKey: answer[1]) != nil else { return }
        if answer[0] == SubmitReply.acceptedStatus {
            accepted += 1
        } else {
            rejections.append(Rejection(clientID: answer[1], reason: String(decoding: answer.dropFirst(2).joined(), as: UTF8.self)))
        }
    }
}

import Foundation
import Logging
import Metrics
import Synchronization
import ZeroMQ

/// The client end of the request/reply endpoints: sends inputs to the tokenizer's requests
/// ROUTER and gets their records back from the sink's replies ROUTER, matched to the request
/// that asked for them. Any number of tasks may wait on it at once (the HTTP server's
/// requests do).
///
/// Two DEALER sockets share one routing id, random per requester: the tokenizer notes it in
/// each item and the sink sends the item's record to the replies connection of that id.
/// ZeroMQ sockets are not thread-safe, so each is used under a lock or by one thread: a
/// request sends its texts itself under the requests socket's lock, without waiting; what the
/// socket does not take at once (the pipeline holds back) is queued for a sending thread,
/// which keeps trying. A receiving thread takes the records, hands each to its request and
/// gives up on requests past their deadline.
public final class Requester: Sendable {
    /// A task waiting for its records, and how long it was willing to wait.
    private struct Waiter {
        let continuation: CheckedContinuation<[OutputRecord], any Error>
        let timeout: Duration

        func resume(throwing error: RequesterError) { continuation.resume(throwing: error) }
    }

    private struct State {
        var pending = PendingRequests<Waiter>()
        /// Messages for the requests socket, oldest first: `[client id, text]`.
        var outgoing: ArraySlice<[[UInt8]]> = []
        var closed = false
    }

    private let state = Mutex(State())
    /// The requests socket: sent on by requests directly and by the sending thread.
    private let requestSocket: Mutex<SocketBox>
    /// Signalled when something is queued for sending (or on closing).
    private let queued = DispatchSemaphore(value: 0)
    private let threadsDone = DispatchGroup()
    private let logger: Logger
    /// `seq2seq_requests_waiting`: requests waiting for records, updated every 50 ms.
    private let waitingGauge = Gauge(label: "seq2seq_requests_waiting")
    /// The routing id both sockets present.
    public let routingID: [UInt8]

    /// Connects to the tokenizer's requests endpoint and the sink's replies endpoint (with CURVE
    /// when `curve` is given) and starts the two socket threads.
    ///
    /// Waits, at most `connectTimeout`, until the replies connection is made: the sink drops a
    /// record whose requester it does not know, so a request sent before would get no answer.
    public init(
        requests: String, replies: String, curve: CurveSecurity? = nil, connectTimeout: Duration = .seconds(5), logger: Logger
    ) throws {
        self.logger = logger
        let routingID = Array("req-\(UInt64.random(in: 0...UInt64.max))".utf8)
        self.routingID = routingID
        let context = try Context()
        // Replies first, so that the sink knows this id before any input has gone out.
        let security = StageSecurity(client: curve)
        let replySocket = try Socket.make(context, .dealer, highWaterMark: 100_000, security: security) { try $0.setRoutingID(routingID) }
        let monitor = try SocketMonitor(replySocket, events: .handshakeSucceeded)
        try replySocket.connect(replies)
        let deadline = ContinuousClock.now + connectTimeout
        var connected = false
        while !connected && ContinuousClock.now < deadline {
            connected = try monitor.next() != nil
            if !connected { Thread.sleep(forTimeInterval: 0.01) }
        }
        let requestSocket = try Socket.make(context, .dealer, security: security) { try $0.setRoutingID(routingID) }
        try requestSocket.connect(requests)
        self.requestSocket = Mutex(SocketBox(requestSocket))
        let receiver = SocketBox(replySocket)
        threadsDone.enter()
        Thread.detachNewThread { [self] in
            sendLoop()
            threadsDone.leave()
        }
        threadsDone.enter()
        Thread.detachNewThread { [self] in
            receiveLoop(receiver.socket)
            threadsDone.leave()
        }
        if connected {
            logger.info("pipeline requester connected", metadata: ["requests": "\(requests)", "replies": "\(replies)"])
        } else {
            logger.warning(
                "replies endpoint not reachable yet: requests get no answer until it is",
                metadata: ["requests": "\(requests)", "replies": "\(replies)"])
        }
    }

    /// Sends `texts` through the pipeline and waits for their records, in the order of `texts`.
    ///
    /// - Throws: ``RequesterError/timedOut(_:)`` when not every record is back within
    ///   `timeout` (what comes later is dropped), ``RequesterError/cancelled`` when the
    ///   calling task is cancelled, ``RequesterError/closed`` after ``close()``.
    public func translate(_ texts: [String], timeout: Duration) async throws -> [OutputRecord] {
        if texts.isEmpty { return [] }
        let request = Mutex<UInt64?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let waiter = Waiter(continuation: continuation, timeout: timeout)
                let registered = state.withLock { state -> (clientIDs: [[UInt8]], queue: Bool)? in
                    guard !state.closed else { return nil }
                    let (number, clientIDs) = state.pending.add(count: texts.count, waiter: waiter, deadline: .now + timeout)
                    request.withLock { $0 = number }
                    return (clientIDs, !state.outgoing.isEmpty)
                }
                guard let registered else { return waiter.resume(throwing: .closed) }
                var messages = zip(registered.clientIDs, texts).map { [$0, Array($1.utf8)] }[...]
                // Behind messages already queued, or when the socket does not take them now, they wait for the sending thread.
                if !registered.queue { sendNow(&messages) }
                if !messages.isEmpty {
                    state.withLock { $0.outgoing += messages }
                    queued.signal()
                }
            }
        } onCancel: {
            guard let number = request.withLock({ $0 }) else { return }
            state.withLock { $0.pending.remove(number) }?.resume(throwing: .cancelled)
        }
    }

    /// Requests still waiting for records.
    public var waiting: Int { state.withLock { $0.pending.count } }

    /// Stops both threads; requests still waiting fail with ``RequesterError/closed``.
    public func close() {
        let waiters = state.withLock { state in
            state.closed = true
            return state.pending.removeAll()
        }
        for waiter in waiters { waiter.resume(throwing: .closed) }
        queued.signal()
        threadsDone.wait()
    }

    /// Sends from the front of `messages` what the requests socket takes without waiting,
    /// removing what it sent.
    private func sendNow(_ messages: inout ArraySlice<[[UInt8]]>) {
        requestSocket.withLock { box in
            while let message = messages.first {
                do {
                    guard try box.socket.send(message, dontWait: true) else { return }
                } catch {
                    // Not sent; its request times out.
                    logger.error("cannot send to the pipeline", metadata: ["problem": "\(error)"])
                }
                messages.removeFirst()
            }
        }
    }

    /// Sends what is queued, oldest first, trying again every millisecond while the tokenizer
    /// holds requests back.
    private func sendLoop() {
        while true {
            _ = queued.wait(timeout: .now() + .milliseconds(100))
            while true {
                let (front, closed) = state.withLock { ($0.outgoing.first, $0.closed) }
                if closed { return }
                guard let front else { break }
                var messages = [front][...]
                sendNow(&messages)
                if messages.isEmpty {
                    state.withLock { _ = $0.outgoing.removeFirst() }
                } else {
                    Thread.sleep(forTimeInterval: 0.001)
                }
            }
        }
    }

    /// Receives records and hands them to their requests; fails requests past their deadline.
    private func receiveLoop(_ socket: Socket) {
        var nextExpiry = ContinuousClock.now
        while !state.withLock({ $0.closed }) {
            do {
                if let message = try socket.receive(timeout: 20) {
                    deliver(message)
                    while let more = try socket.receive(dontWait: true) { deliver(more) }
                }
            } catch {
                logger.error("cannot receive from the pipeline", metadata: ["problem": "\(error)"])
            }
            let now = ContinuousClock.now
            guard now >= nextExpiry else { continue }
            nextExpiry = now + .milliseconds(50)
            let (expired, waiting) = state.withLock { ($0.pending.expire(now: now), $0.pending.count) }
            for waiter in expired { waiter.resume(throwing: .timedOut(waiter.timeout)) }
            waitingGauge.record(waiting)
        }
    }

    /// Hands one reply message (one frame: the record's JSON) to its request.
    private func deliver(_ message: [[UInt8]]) {
        guard message.count == 1, let record = try? OutputRecord(json: message[0]) else {
            return logger.warning("malformed reply dropped", metadata: ["frames": "\(message.count)"])
        }
        guard let (waiter, records) = state.withLock({ $0.pending.received(record) }) else {
            return logger.debug("reply for no waiting request dropped", metadata: ["id": "\(record.id ?? "?")"])
        }
        waiter.continuation.resume(returning: records)
    }
}

/// A socket handed to another thread, or kept under a lock.
private final class SocketBox: @unchecked Sendable {
    let socket: Socket
    init(_ socket: Socket) { self.socket = socket }
}

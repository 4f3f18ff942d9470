import Foundation
import Logging
import Synchronization
import ZeroMQ

/// The client end of the request/reply endpoints: sends inputs to the tokenizer's requests
/// ROUTER and gets their records back from the sink's replies ROUTER, matched to the request
/// that asked for them. Any number of tasks may wait on it at once (the HTTP server's
/// requests do).
///
/// Two DEALER sockets share one routing id, random per requester: the tokenizer notes it in
/// each item and the sink sends the item's record to the replies connection of that id. Each
/// socket has a thread of its own (ZeroMQ sockets are not thread-safe): one sends what the
/// waiting tasks queued, the other receives records, hands each to its request and gives up
/// on requests past their deadline.
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
        var outgoing: [[[UInt8]]] = []
        var closed = false
    }

    private let state = Mutex(State())
    /// Signalled when something is queued for sending (or on closing).
    private let queued = DispatchSemaphore(value: 0)
    private let threadsDone = DispatchGroup()
    private let logger: Logger
    /// The routing id both sockets present.
    public let routingID: [UInt8]

    /// Connects to the tokenizer's requests endpoint and the sink's replies endpoint and starts
    /// the two socket threads.
    public init(requests: String, replies: String, logger: Logger) throws {
        self.logger = logger
        routingID = Array("req-\(UInt64.random(in: 0...UInt64.max))".utf8)
        let context = try Context()
        // Replies first, so that the sink knows this id before any input has gone out.
        let replySocket = try Socket.make(context, .dealer, highWaterMark: 100_000) { try $0.setRoutingID(self.routingID) }
        try replySocket.connect(replies)
        let requestSocket = try Socket.make(context, .dealer) {
            try $0.setRoutingID(self.routingID)
            try $0.set(.sendTimeout, 100)
        }
        try requestSocket.connect(requests)
        let sender = SocketBox(requestSocket)
        let receiver = SocketBox(replySocket)
        threadsDone.enter()
        Thread.detachNewThread { [self] in
            sendLoop(sender.socket)
            threadsDone.leave()
        }
        threadsDone.enter()
        Thread.detachNewThread { [self] in
            receiveLoop(receiver.socket)
            threadsDone.leave()
        }
        logger.info("pipeline requester connected", metadata: ["requests": "\(requests)", "replies": "\(replies)"])
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
                let accepted = state.withLock { state -> Bool in
                    guard !state.closed else { return false }
                    let (number, clientIDs) = state.pending.add(count: texts.count, waiter: waiter, deadline: .now + timeout)
                    request.withLock { $0 = number }
                    for (clientID, text) in zip(clientIDs, texts) { state.outgoing.append([clientID, Array(text.utf8)]) }
                    return true
                }
                guard accepted else { return waiter.resume(throwing: .closed) }
                queued.signal()
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

    /// Sends what is queued, blocking while the tokenizer holds requests back.
    private func sendLoop(_ socket: Socket) {
        while true {
            _ = queued.wait(timeout: .now() + .milliseconds(100))
            let (messages, closed) = state.withLock { state in
                defer { state.outgoing.removeAll(keepingCapacity: true) }
                return (state.outgoing, state.closed)
            }
            if closed { return }
            for message in messages {
                do {
                    while try !socket.send(message) {
                        if state.withLock({ $0.closed }) { return }
                    }
                } catch {
                    logger.error("cannot send to the pipeline", metadata: ["problem": "\(error)"])
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
            for waiter in state.withLock({ $0.pending.expire(now: now) }) { waiter.resume(throwing: .timedOut(waiter.timeout)) }
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

/// Hands a socket to the one thread that uses it from then on.
private final class SocketBox: @unchecked Sendable {
    let socket: Socket
    init(_ socket: Socket) { self.socket = socket }
}

import ZeroMQ

/// The client end of acknowledged delivery: a DEALER socket connected to a sink's deliver
/// endpoint (see ``DeliveredRecord`` and ``ConsumerMessage``).
///
/// It says `ready` with its window at once and every half second, hands each record out once
/// (a record sent again, after a sink restart or a reconnection, is recognised by its id and
/// only acknowledged again) and acknowledges the records handed out when asked to, after the
/// caller has stored them.
public final class AcknowledgedReceiver {
    private let socket: Socket
    private let window: Int
    private var lastReady: ContinuousClock.Instant?
    /// The epoch of the records seen, the floor the sink last gave, and the sequence numbers
    /// seen at or above it.
    private var epoch: UInt64?
    private var floor: UInt64 = 0
    private var seen: Set<UInt64> = []
    /// Ids of records to acknowledge.
    private var toAcknowledge: [[UInt8]] = []
    /// Records still to hand out, if the caller wants only so many more; nil for no limit.
    private var remaining: Int?

    /// Connects to `endpoint`; at most `window` records are unacknowledged at a time, and no
    /// more than `limit` are taken in all (nil: no limit).
    public init(endpoint: String, window: Int = 1000, limit: Int? = nil) throws {
        precondition(window >= 1)
        self.window = window
        remaining = limit
        // Linger: acknowledgements still queued when the receiver goes are sent for 2 s.
        socket = try Socket.make(Context(), .dealer, connect: endpoint, linger: 2000)
    }

    /// The next record's JSON not handed out before, waiting until one comes; nil once
    /// `stop` is requested.
    public func next(until stop: StopFlag) throws -> [UInt8]? {
        while !stop.isRequested {
            if let record = try next(timeout: 100) { return record }
        }
        return nil
    }

    /// The next record not handed out before, if one comes within `timeout` ms.
    public func next(timeout: Int) throws -> [UInt8]? {
        let deadline = ContinuousClock.now + .milliseconds(timeout)
        while true {
            try sayReady()
            let left = max(0, ContinuousClock.now.duration(to: deadline).milliseconds)
            guard let message = try socket.receive(timeout: min(left, 100)) else {
                if ContinuousClock.now >= deadline { return nil }
                continue
            }
            if let json = take(message) { return json }
        }
    }

    /// Acknowledges every record handed out so far (and the duplicates seen).
    public func acknowledge() throws {
        guard !toAcknowledge.isEmpty else { return }
        try socket.send(ConsumerMessage.ack(ids: toAcknowledge).frames)
        toAcknowledge.removeAll(keepingCapacity: true)
    }

    /// Says `ready` with the window (no more than the records still wanted) when half a
    /// second has passed since the last time.
    private func sayReady() throws {
        if let lastReady, ContinuousClock.now - lastReady < .milliseconds(500) { return }
        try socket.send(ConsumerMessage.ready(window: min(window, remaining ?? window)).frames, dontWait: true)
        lastReady = .now
    }

    /// The JSON of a deliver message, or nil for a duplicate (to be acknowledged again) or a
    /// message that is not a record.
    private func take(_ message: [[UInt8]]) -> [UInt8]? {
        guard let record = DeliveredRecord(frames: message) else { return nil }
        toAcknowledge.append(DeliveredRecord.id(epoch: record.epoch, sequence: record.sequence))
        if record.epoch != epoch {
            (epoch, floor, seen) = (record.epoch, 0, [])
        }
        if record.floor > floor {
            floor = record.floor
            if seen.count > 4 * window { seen = seen.filter { $0 >= floor } }
        }
        guard record.sequence >= floor, seen.insert(record.sequence).inserted else { return nil }
        remaining = remaining.map { $0 - 1 }
        return record.json
    }
}

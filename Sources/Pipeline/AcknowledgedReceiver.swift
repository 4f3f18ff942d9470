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
    /// Ids and sequence numbers of the records handed out and not yet acknowledged.
    private var toAcknowledge: [[UInt8]] = []
    private var handedOut: Set<UInt64> = []
    /// Ids of duplicates of records already acknowledged: acknowledged again at once, so the
    /// sink lets go of them.
    private var duplicates: [[UInt8]] = []
    /// Records still to hand out, if the caller wants only so many more; nil for no limit.
    private var remaining: Int?

    /// Connects to `endpoint` (with CURVE when `curve` is given); at most `window` records are
    /// unacknowledged at a time, and no more than `limit` are taken in all (nil: no limit).
    public init(endpoint: String, window: Int = 1000, limit: Int? = nil, curve: CurveSecurity? = nil) throws {
        precondition(window >= 1)
        self.window = window
        remaining = limit
        // Linger: acknowledgements still queued when the receiver goes are sent for 2 s.
        socket = try Socket.make(Context(), .dealer, connect: endpoint, linger: 2000, security: StageSecurity(client: curve))
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
            try acknowledgeDuplicates()
        }
    }

    /// Acknowledges every record handed out so far (call it once they are stored).
    public func acknowledge() throws {
        guard !toAcknowledge.isEmpty else { return }
        try socket.send(ConsumerMessage.ack(ids: toAcknowledge).frames)
        toAcknowledge.removeAll(keepingCapacity: true)
        handedOut.removeAll(keepingCapacity: true)
    }

    private func acknowledgeDuplicates() throws {
        guard !duplicates.isEmpty else { return }
        try socket.send(ConsumerMessage.ack(ids: duplicates).frames)
        duplicates.removeAll(keepingCapacity: true)
    }

    /// Says `ready` with the window (no more than the records still wanted) when half a
    /// second has passed since the last time.
    private func sayReady() throws {
        if let lastReady, ContinuousClock.now - lastReady < .milliseconds(500) { return }
        try socket.send(ConsumerMessage.ready(window: min(window, remaining ?? window)).frames, dontWait: true)
        lastReady = .now
    }

    /// After the last record wanted: for `duration`, acknowledges again the records that come
    /// again, so that no later consumer gets them. After a sink or tokenizer restart the
    /// acknowledgements of records already taken may have been lost with it, and those records
    /// come again, some time later. New records are left unacknowledged, for the next consumer.
    public func acknowledgeRepeats(for duration: Duration) throws {
        let deadline = ContinuousClock.now + duration
        remaining = nil
        lastReady = nil
        while ContinuousClock.now < deadline {
            try sayReady()
            guard let message = try socket.receive(timeout: 100), let record = DeliveredRecord(frames: message) else { continue }
            if !isNew(record) { duplicates.append(DeliveredRecord.id(epoch: record.epoch, sequence: record.sequence)) }
            try acknowledgeDuplicates()
        }
    }

    /// The JSON of a deliver message, or nil for a duplicate (to be acknowledged again: with
    /// the records handed out if it is one of them, else at once) or a message that is not a
    /// record.
    private func take(_ message: [[UInt8]]) -> [UInt8]? {
        guard let record = DeliveredRecord(frames: message) else { return nil }
        let id = DeliveredRecord.id(epoch: record.epoch, sequence: record.sequence)
        guard isNew(record) else {
            if !handedOut.contains(record.sequence) { duplicates.append(id) }
            return nil
        }
        seen.insert(record.sequence)
        toAcknowledge.append(id)
        handedOut.insert(record.sequence)
        remaining = remaining.map { $0 - 1 }
        return record.json
    }

    /// Whether `record` has not been seen before, after taking in its epoch and floor.
    private func isNew(_ record: DeliveredRecord) -> Bool {
        if record.epoch != epoch {
            (epoch, floor, seen) = (record.epoch, 0, [])
        }
        if record.floor > floor {
            floor = record.floor
            if seen.count > 4 * window { seen = seen.filter { $0 >= floor } }
        }
        return record.sequence >= floor && !seen.contains(record.sequence)
    }
}

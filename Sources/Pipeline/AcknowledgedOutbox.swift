/// The sink's side of acknowledged delivery: the consumers connected to the deliver endpoint
/// and the records sent and not yet acknowledged, with those to send again.
///
/// A consumer is known by its routing id from its first `ready` message, and gone once it
/// has been silent for the consumer timeout; its unacknowledged records are then sent again,
/// lowest sequence number first and before any new record, to whichever consumer has room.
/// A consumer has room while its unacknowledged records are fewer than its window. In
/// ordered mode records go to one consumer at a time: while one has records unacknowledged,
/// no other gets any, so no consumer sees a record before an earlier one that is still out.
struct AcknowledgedOutbox {
    /// A connected consumer.
    private struct Consumer {
        var window: Int
        var heard: ContinuousClock.Instant
        var outstanding: Set<UInt64> = []
    }

    /// Whether records go to one consumer at a time, in sequence order.
    let ordered: Bool
    private var consumers: [ByteKey: Consumer] = [:]
    /// Unacknowledged records by sequence number, and the consumer each was sent to (nil:
    /// waiting to be sent again).
    private var records: [UInt64: (json: [UInt8], consumer: [UInt8]?)] = [:]
    /// Records to send again, ascending.
    private var resends: [UInt64] = []

    /// Records sent and not acknowledged (including those waiting to be sent again).
    var count: Int { records.count }
    var isEmpty: Bool { records.isEmpty }
    var consumerCount: Int { consumers.count }

    /// The lowest unacknowledged sequence number.
    var lowest: UInt64? { records.keys.min() }

    func contains(_ sequence: UInt64) -> Bool { records[sequence] != nil }

    /// Notes a `ready` from `peer`.
    mutating func heard(from peer: [UInt8], window: Int, now: ContinuousClock.Instant) {
        consumers[ByteKey(peer), default: Consumer(window: window, heard: now)].window = window
        consumers[ByteKey(peer)]!.heard = now
    }

    init(ordered: Bool) {
        self.ordered = ordered
    }

    /// The consumer to send the next record to: in ordered mode the one holding records, if
    /// any does; otherwise the one with the most room. Nil when that one has no room.
    var consumerWithRoom: [UInt8]? {
        var best: (peer: [UInt8], room: Int)?
        for (peer, consumer) in consumers {
            let room = consumer.window - consumer.outstanding.count
            if ordered && !consumer.outstanding.isEmpty { return room > 0 ? peer.bytes : nil }
            if room > 0 && room > best?.room ?? 0 { best = (peer.bytes, room) }
        }
        return best?.peer
    }

    /// The next record to send again, without taking it.
    var nextResend: (sequence: UInt64, json: [UInt8])? {
        resends.first.map { ($0, records[$0]!.json) }
    }

    /// Records that record `sequence` went to `peer`.
    mutating func sent(_ sequence: UInt64, json: [UInt8], to peer: [UInt8]) {
        if resends.first == sequence { resends.removeFirst() }
        records[sequence] = (json, peer)
        consumers[ByteKey(peer)]?.outstanding.insert(sequence)
    }

    /// Takes `peer`'s acknowledgement of `sequences`; returns those that were unacknowledged.
    mutating func acknowledge(_ sequences: [UInt64], from peer: [UInt8]) -> [UInt64] {
        sequences.filter { sequence in
            guard let record = records.removeValue(forKey: sequence) else { return false }
            if let consumer = record.consumer { consumers[ByteKey(consumer)]?.outstanding.remove(sequence) }
            if record.consumer == nil, let index = resends.firstIndex(of: sequence) { resends.remove(at: index) }
            return true
        }
    }

    /// Forgets the consumers silent for `timeout` before `now` (and `peer`, gone, if given);
    /// their records are to be sent again. Returns how many records that makes.
    mutating func expire(now: ContinuousClock.Instant, timeout: Duration, gone peer: [UInt8]? = nil) -> Int {
        let silent = consumers.filter { now - $0.value.heard >= timeout || $0.key.bytes == peer }
        for (peer, consumer) in silent {
            consumers[peer] = nil
            for sequence in consumer.outstanding { records[sequence]?.consumer = nil }
            resends += consumer.outstanding
        }
        resends.sort()
        return silent.values.reduce(0) { $0 + $1.outstanding.count }
    }

    /// Takes every unacknowledged record out, in sequence order (their epoch has ended).
    mutating func removeAll() -> [(sequence: UInt64, json: [UInt8])] {
        defer {
            records = [:]
            resends = []
            for peer in consumers.keys { consumers[peer]!.outstanding = [] }
        }
        return records.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) }
    }
}

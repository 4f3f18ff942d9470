/// The bookkeeping of a ``Requester``: which inputs each waiting request sent, what has come
/// back for them, and when each request gives up.
///
/// Each input goes out under a client id of its own (`"<request>.<index>"`), so a record that
/// comes back names its request and its place in it. Records for ids that are not waiting (a
/// request that timed out or was cancelled, a repeat) are ignored.
struct PendingRequests<Waiter> {
    /// One request: its waiter, its deadline and the records in by index.
    struct Entry {
        var waiter: Waiter
        var deadline: ContinuousClock.Instant
        var records: [OutputRecord?]
        var missing: Int
    }

    private var entries: [UInt64: Entry] = [:]
    private var nextRequest: UInt64 = 0

    var count: Int { entries.count }

    /// Registers a request for `count` inputs (at least 1); its number and the client id of
    /// each of its inputs.
    mutating func add(count: Int, waiter: Waiter, deadline: ContinuousClock.Instant) -> (request: UInt64, clientIDs: [[UInt8]]) {
        precondition(count >= 1)
        let request = nextRequest
        nextRequest += 1
        entries[request] = Entry(waiter: waiter, deadline: deadline, records: Array(repeating: nil, count: count), missing: count)
        return (request, (0..<count).map { Array("\(request).\($0)".utf8) })
    }

    /// Files `record` with its request; the request's waiter and records once it has them all.
    mutating func received(_ record: OutputRecord) -> (waiter: Waiter, records: [OutputRecord])? {
        guard let id = record.id, let dot = id.firstIndex(of: "."), let request = UInt64(id[..<dot]),
            let index = Int(id[id.index(after: dot)...]), var entry = entries[request],
            entry.records.indices.contains(index), entry.records[index] == nil
        else { return nil }
        entry.records[index] = record
        entry.missing -= 1
        guard entry.missing == 0 else {
            entries[request] = entry
            return nil
        }
        entries[request] = nil
        return (entry.waiter, entry.records.map { $0! })
    }

    /// Removes and returns the waiters of requests whose deadline is past.
    mutating func expire(now: ContinuousClock.Instant) -> [Waiter] {
        let expired = entries.filter { $0.value.deadline <= now }
        for request in expired.keys { entries[request] = nil }
        return expired.values.map(\.waiter)
    }

    /// Removes request `request`; its waiter, if it was still waiting.
    mutating func remove(_ request: UInt64) -> Waiter? {
        entries.removeValue(forKey: request)?.waiter
    }

    /// Removes every request; their waiters.
    mutating func removeAll() -> [Waiter] {
        defer { entries.removeAll() }
        return entries.values.map(\.waiter)
    }
}

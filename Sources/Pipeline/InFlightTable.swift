/// The tokenizer's record of the items it has issued and the sink has not yet delivered:
/// the heart of acknowledged delivery.
///
/// An item is *pending* (to be sent to a worker), *sent* (with a redelivery deadline), or
/// *held* (the sink has its result and will output it). A sent item whose deadline passes
/// becomes pending again; each further attempt doubles its timeout, up to eight times the
/// first (and once more per 64 sentences of a document). Held items become pending again if the sink restarts (a new sink instance
/// number) or falls silent. A delivered item is forgotten.
///
/// At most `maxDispatched` items are *sent* at a time: worker queues stay short, so a
/// worker that joins soon gets a share, one that dies takes little with it, and nothing
/// waits in a queue long enough to be redelivered needlessly.
struct InFlightTable {
    enum State: Equatable {
        case pending
        case sent(deadline: ContinuousClock.Instant)
        case held
    }

    /// Where an item stands; kept apart from the item itself so that the frequent state
    /// checks and updates copy a few plain words, not the item's buffers.
    struct Tracking {
        var state: State
        /// How many times the item has been sent.
        var attempts: Int
    }

    /// Most items in flight; ``isFull`` past it.
    let capacity: Int
    /// Time from a first send to its redelivery.
    let redeliveryTimeout: Duration
    /// Most items in the sent state.
    let maxDispatched: Int
    /// Items in the sent state.
    private(set) var dispatched = 0
    private var items: [UInt64: PipelineItem] = [:]
    private var tracking: [UInt64: Tracking] = [:]
    /// One past the highest sequence number added.
    private(set) var nextSequence: UInt64
    /// The smallest sequence number that may still be in the table.
    private var oldest: UInt64 = 0
    /// Sequence numbers of new items, in order, from `freshHead` on.
    private var fresh: [UInt64] = []
    private var freshHead = 0
    /// Sequence numbers to send again, ascending: they go before new items.
    private var retries: [UInt64] = []
    /// The sink instance that holds the held items, and when it was last heard from.
    private var sink: (instance: UInt64, heard: ContinuousClock.Instant)?

    /// A table whose first item will have sequence number `firstSequence` or a later one.
    init(capacity: Int, redeliveryTimeout: Duration, maxDispatched: Int = .max, firstSequence: UInt64 = 0) {
        precondition(capacity >= 1 && maxDispatched >= 1)
        self.capacity = capacity
        self.redeliveryTimeout = redeliveryTimeout
        self.maxDispatched = maxDispatched
        nextSequence = firstSequence
        oldest = firstSequence
    }

    var count: Int { tracking.count }
    var isEmpty: Bool { tracking.isEmpty }
    var isFull: Bool { tracking.count >= capacity }

    /// The smallest undelivered sequence number (one past the last added when none is in
    /// flight): every item below it has been delivered.
    var lowWater: UInt64 {
        mutating get {
            while oldest < nextSequence && tracking[oldest] == nil { oldest += 1 }
            return oldest
        }
    }

    /// Adds `item`, pending; its sequence number must be past every one added before (gaps
    /// are allowed: the numbers of inputs a journal replay found done).
    mutating func add(_ item: PipelineItem) {
        let sequence = item.sequence
        precondition(sequence >= nextSequence, "sequence numbers must increase")
        nextSequence = sequence + 1
        items[sequence] = item
        tracking[sequence] = Tracking(state: .pending, attempts: 0)
        fresh.append(sequence)
    }

    /// The pending item to send next, oldest retry first, without taking it; nil when none
    /// is pending or `maxDispatched` items are out.
    mutating func nextPending() -> PipelineItem? {
        pending(limit: 1).first
    }

    /// Up to `limit` pending items to send next, oldest retries first, without taking them;
    /// no more than keep the items out within `maxDispatched`.
    mutating func pending(limit: Int) -> [PipelineItem] {
        let limit = min(limit, maxDispatched - dispatched)
        guard limit > 0 else { return [] }
        dropNonPendingHead()
        var found: [PipelineItem] = []
        for sequence in [retries[...], fresh[freshHead...]].joined() {
            guard found.count < limit else { break }
            if tracking[sequence]?.state == .pending { found.append(items[sequence]!) }
        }
        return found
    }

    /// Records that the first `count` items ``pending(limit:)`` returned have been sent at
    /// `now`.
    mutating func markSent(_ count: Int = 1, now: ContinuousClock.Instant) {
        for _ in 0..<count {
            dropNonPendingHead()
            guard let sequence = firstQueued else { return }
            dropFirstPending()
            dispatched += 1
            var entry = tracking[sequence]!
            entry.attempts += 1
            let backoff = redeliveryTimeout * (1 << min(entry.attempts - 1, 3))
            entry.state = .sent(deadline: now + backoff * Self.sizeFactor(of: items[sequence]!))
            tracking[sequence] = entry
        }
    }

    /// Drops from the head of the send queue the items that are no longer pending (delivered
    /// or held since they were queued).
    private mutating func dropNonPendingHead() {
        while let sequence = firstQueued, tracking[sequence]?.state != .pending { dropFirstPending() }
    }

    /// The head of the send queue: the oldest retry, else the oldest new item.
    private var firstQueued: UInt64? {
        retries.first ?? (freshHead < fresh.count ? fresh[freshHead] : nil)
    }

    private mutating func dropFirstPending() {
        if !retries.isEmpty {
            retries.removeFirst()
        } else {
            freshHead += 1
            if freshHead >= 1024 && freshHead * 2 >= fresh.count {
                fresh.removeFirst(freshHead)
                freshHead = 0
            }
        }
    }

    /// How many times the redelivery timeout a document is given: one more for every 64
    /// sentences, since its sentences are decoded one by one, many on each worker.
    private static func sizeFactor(of item: PipelineItem) -> Int {
        guard case .sentences(let lists) = item.payload else { return 1 }
        return 1 + lists.count / 64
    }

    /// Applies the sink's acknowledgement; returns the items it delivered, now forgotten.
    @discardableResult
    mutating func apply(_ ack: Acknowledgement, now: ContinuousClock.Instant) -> [PipelineItem] {
        heard(from: ack.sinkInstance, now: now)
        var delivered: [PipelineItem] = []
        for entry in ack.entries {
            switch entry.state {
            case .delivered:
                guard let removed = tracking.removeValue(forKey: entry.sequence) else { continue }
                delivered.append(items.removeValue(forKey: entry.sequence)!)
                if case .sent = removed.state { dispatched -= 1 }
            case .held:
                guard let state = tracking[entry.sequence]?.state else { continue }
                if case .sent = state { dispatched -= 1 }
                tracking[entry.sequence]!.state = .held
            }
        }
        return delivered
    }

    /// Notes a message from sink `instance`; a different instance than before means the
    /// previous sink is gone, with everything it held.
    private mutating func heard(from instance: UInt64, now: ContinuousClock.Instant) {
        if let sink, sink.instance != instance { releaseHeld() }
        sink = (instance, now)
    }

    /// Makes pending again every sent item past its deadline, and every held item if the
    /// sink has been silent for `sinkTimeout`; returns how many.
    mutating func expire(now: ContinuousClock.Instant, sinkTimeout: Duration) -> Int {
        var released = 0
        if let sink, now - sink.heard > sinkTimeout {
            released += releaseHeld()
            self.sink = nil
        }
        for (sequence, entry) in tracking {
            if case .sent(let deadline) = entry.state, deadline <= now {
                dispatched -= 1
                retry(sequence)
                released += 1
            }
        }
        return released
    }

    @discardableResult
    private mutating func releaseHeld() -> Int {
        let held = tracking.filter { $0.value.state == .held }.keys
        for sequence in held { retry(sequence) }
        return held.count
    }

    private mutating func retry(_ sequence: UInt64) {
        tracking[sequence]?.state = .pending
        let index = retries.partitioningIndex { $0 >= sequence }
        if index == retries.count || retries[index] != sequence { retries.insert(sequence, at: index) }
    }
}

extension Array {
    /// The first index whose element satisfies `belongsAfter`, which must be false for a
    /// prefix and true for the rest (binary search).
    func partitioningIndex(where belongsAfter: (Element) -> Bool) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if belongsAfter(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

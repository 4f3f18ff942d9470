/// The tokenizer's record of acknowledged submissions by client id: those pending (journaled,
/// not yet done) and those done within the retention time, so that a client resubmitting an
/// id it got no acceptance for is answered again instead of the input being translated twice.
struct SubmissionIndex {
    enum State: Equatable {
        /// Accepted under this sequence number, not yet done.
        case pending(sequence: UInt64)
        /// Done at this time (ms since 1970).
        case done(at: UInt64)
    }

    /// How long a done id is remembered (ms).
    let retention: UInt64
    private var states: [ByteKey: State] = [:]
    /// Done ids in the order they became done, from `head` on.
    private var doneOrder: [(clientID: [UInt8], at: UInt64)] = []
    private var head = 0

    init(retention: UInt64) {
        self.retention = retention
    }

    /// Ids known: pending, or done and not yet expired.
    var count: Int { states.count }

    subscript(clientID: [UInt8]) -> State? { states[ByteKey(clientID)] }

    mutating func accept(_ clientID: [UInt8], sequence: UInt64) {
        states[ByteKey(clientID)] = .pending(sequence: sequence)
    }

    mutating func markDone(_ clientID: [UInt8], at time: UInt64) {
        states[ByteKey(clientID)] = .done(at: time)
        doneOrder.append((clientID, time))
    }

    /// Forgets the ids done longer than the retention time before `now`.
    mutating func expire(now: UInt64) {
        while head < doneOrder.count, now >= doneOrder[head].at, now - doneOrder[head].at >= retention {
            let (clientID, time) = doneOrder[head]
            if states[ByteKey(clientID)] == .done(at: time) { states[ByteKey(clientID)] = nil }
            head += 1
        }
        if head >= 1024 && head * 2 >= doneOrder.count {
            doneOrder.removeFirst(head)
            head = 0
        }
    }
}

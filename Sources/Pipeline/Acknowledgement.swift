/// Sink → tokenizer: what the sink has taken charge of and what it has delivered; with no
/// entries, a heartbeat that says the sink is alive.
///
/// Layout after the header: `u64 epoch`, `u64 sink instance`, `u32 count`, then per entry
/// `u64 sequence` and `u8 state` (1 held, 2 delivered).
public struct Acknowledgement: Equatable, Sendable {
    /// How far an item has got.
    public enum State: UInt8, Sendable {
        /// The sink holds the result but has not output it yet (waiting for earlier items,
        /// or for a consumer): the tokenizer stops its redelivery timer.
        case held = 1
        /// The output has been handed to the output socket: the tokenizer forgets the item.
        case delivered = 2
    }

    /// One acknowledged item.
    public struct Entry: Equatable, Sendable {
        public var sequence: UInt64
        public var state: State

        public init(sequence: UInt64, state: State) {
            self.sequence = sequence
            self.state = state
        }
    }

    /// The tokenizer epoch the entries belong to (0 before the sink has seen any item).
    public var epoch: UInt64
    /// The sink process's random instance number: a new one tells the tokenizer that the
    /// sink restarted and lost what it held.
    public var sinkInstance: UInt64
    public var entries: [Entry]

    public init(epoch: UInt64, sinkInstance: UInt64, entries: [Entry]) {
        self.epoch = epoch
        self.sinkInstance = sinkInstance
        self.entries = entries
    }

    /// The ``WireFormat/Kind/ack`` frame.
    public func encoded() -> [UInt8] {
        var writer = WireFormat.writer(for: .ack, capacity: 24 + entries.count * 9)
        writer.append(epoch)
        writer.append(sinkInstance)
        writer.append(UInt32(entries.count))
        for entry in entries {
            writer.append(entry.sequence)
            writer.append(entry.state.rawValue)
        }
        return writer.bytes
    }

    /// Reads an ack frame.
    public static func decode(_ frame: [UInt8]) throws(FrameError) -> Acknowledgement {
        var reader = try WireFormat.reader(for: frame, expecting: .ack).reader
        let epoch = try reader.read(UInt64.self, "epoch")
        let sink = try reader.read(UInt64.self, "sink instance")
        let count = Int(try reader.read(UInt32.self, "entry count"))
        guard count * 9 <= reader.remaining else { throw .truncated(field: "entries") }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let sequence = try reader.read(UInt64.self, "sequence")
            let raw = try reader.read(UInt8.self, "state")
            guard let state = State(rawValue: raw) else { throw .invalid(field: "state", reason: "\(raw)") }
            entries.append(Entry(sequence: sequence, state: state))
        }
        try reader.finish()
        return Acknowledgement(epoch: epoch, sinkInstance: sink, entries: entries)
    }
}

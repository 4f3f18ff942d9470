/// One input segment on its way through the pipeline. Work and result frames
/// (``WireFormat/Kind/work``, ``WireFormat/Kind/result``) carry one or more of them.
///
/// Frame layout after the header: `u16 count`, then per item `u32 length` and the item:
/// `u64 epoch`, `u64 sequence`, `u64 lowWater`, `u8 delivery` (for delivery `2`, reply, then
/// `u8 length + the requester's routing id`), `u16 length + client id bytes`,
/// `u32 length + source UTF-8`, then the payload: tag `0` and `u32 count + count × u32 token
/// ids`, tag `1` and `u32 length + error UTF-8`, or tag `2` and `u32 count` + that many token
/// lists; then (from version 4) `u8 0`, or `u8 1` and the sentence part: `u32 index`,
/// `u32 count`, `u32 length + leading UTF-8`, `u32 length + trailing UTF-8`.
public struct PipelineItem: Equatable, Sendable {
    /// What the item carries besides its identity.
    public enum Payload: Equatable, Sendable {
        /// Source ids in a work frame, target ids in a result frame.
        case tokens([Int])
        /// Why the segment has no translation; passed through to the output.
        case error(String)
        /// Source ids of each sentence of a document, in the tokenizer's table and journal;
        /// sent to the workers as one item per sentence (see ``SentencePart``).
        case sentences([[Int]])
    }

    /// Where the output goes and when the item is done.
    public enum Delivery: UInt8, Equatable, Sendable {
        /// Ingest → output (PUSH): done once handed to the output socket.
        case plain = 0
        /// Submit → deliver: done once the consumer acknowledges the output record.
        case acknowledged = 1
        /// Requests → replies: the record goes to the requester named by ``PipelineItem/replyTo``;
        /// done once handed to it (or found gone).
        case reply = 2
    }

    /// The tokenizer run that issued the item (random per start), so that sequence
    /// numbers of different runs are never confused.
    public var epoch: UInt64
    /// The item's position in ingest order within its epoch, from 0.
    public var sequence: UInt64
    /// When the frame was sent, every item of the epoch below this number had been
    /// delivered to the output (the tokenizer's oldest unacknowledged sequence number).
    public var lowWater: UInt64
    /// Which output endpoint the item's record goes to, and what makes it done.
    public var delivery: Delivery
    /// For ``Delivery/reply``: the routing id of the requester the record goes back to
    /// (1 to 255 bytes); empty otherwise.
    public var replyTo: [UInt8]
    /// The client's id bytes, or the decimal sequence number for one-frame inputs.
    public var clientID: [UInt8]
    /// The input text (invalid UTF-8 replaced by U+FFFD for error items); for a sentence
    /// part, the sentence.
    public var source: String
    public var payload: Payload
    /// For one sentence of a document sent on its own: its place in the input.
    public var part: SentencePart?

    public init(
        epoch: UInt64, sequence: UInt64, lowWater: UInt64, delivery: Delivery = .plain, replyTo: [UInt8] = [], clientID: [UInt8],
        source: String, payload: Payload, part: SentencePart? = nil
    ) {
        self.epoch = epoch
        self.sequence = sequence
        self.lowWater = lowWater
        self.delivery = delivery
        self.replyTo = replyTo
        self.clientID = clientID
        self.source = source
        self.payload = payload
        self.part = part
    }

    /// Largest client id the format holds (the protocol allows 256 bytes).
    static let maxClientIDBytes = Int(UInt16.max)
    /// Most items one frame holds.
    public static let maxItemsPerFrame = Int(UInt16.max)

    /// The frame of kind `kind` (work or result) holding `items`, in order (1 to
    /// ``maxItemsPerFrame`` of them).
    public static func frame(_ items: some Collection<PipelineItem>, as kind: WireFormat.Kind) -> [UInt8] {
        var writer = ByteWriter(capacity: items.reduce(6) { $0 + 64 + $1.clientID.count + $1.source.utf8.count + 4 * $1.tokenCount })
        append(items, as: kind, to: &writer)
        return writer.bytes
    }

    /// Appends the frame of kind `kind` holding `items` to `writer`.
    static func append(_ items: some Collection<PipelineItem>, as kind: WireFormat.Kind, to writer: inout ByteWriter) {
        precondition(kind != .ack && (1...maxItemsPerFrame).contains(items.count))
        WireFormat.appendHeader(kind, to: &writer)
        writer.append(UInt16(items.count))
        for item in items {
            let lengthOffset = writer.bytes.count
            writer.append(UInt32(0))
            item.write(to: &writer)
            writer.overwrite(UInt32(writer.bytes.count - lengthOffset - 4), at: lengthOffset)
        }
    }

    /// The frame of kind `kind` holding this item alone.
    public func encoded(as kind: WireFormat.Kind) -> [UInt8] {
        Self.frame(CollectionOfOne(self), as: kind)
    }

    private var tokenCount: Int {
        switch payload {
        case .tokens(let ids): ids.count
        case .sentences(let lists): lists.reduce(lists.count) { $0 + $1.count }
        case .error: 0
        }
    }

    private func write(to writer: inout ByteWriter) {
        precondition(clientID.count <= Self.maxClientIDBytes && replyTo.count <= Int(UInt8.max))
        writer.append(epoch)
        writer.append(sequence)
        writer.append(lowWater)
        writer.append(delivery.rawValue)
        if delivery == .reply { writer.appendBytes(replyTo, lengthAs: UInt8.self) }
        writer.appendBytes(clientID, lengthAs: UInt16.self)
        writer.appendBytes(source.utf8, lengthAs: UInt32.self)
        switch payload {
        case .tokens(let ids):
            writer.append(UInt8(0))
            Self.writeIDs(ids, to: &writer)
        case .error(let message):
            writer.append(UInt8(1))
            writer.appendBytes(message.utf8, lengthAs: UInt32.self)
        case .sentences(let lists):
            writer.append(UInt8(2))
            writer.append(UInt32(lists.count))
            for ids in lists { Self.writeIDs(ids, to: &writer) }
        }
        guard let part else { return writer.append(UInt8(0)) }
        writer.append(UInt8(1))
        writer.append(UInt32(part.index))
        writer.append(UInt32(part.count))
        writer.appendBytes(part.leading.utf8, lengthAs: UInt32.self)
        writer.appendBytes(part.trailing.utf8, lengthAs: UInt32.self)
    }

    private static func writeIDs(_ ids: [Int], to writer: inout ByteWriter) {
        writer.append(UInt32(ids.count))
        for id in ids { writer.append(UInt32(truncatingIfNeeded: id)) }
    }

    private static func readIDs(_ reader: inout ByteReader) throws(FrameError) -> [Int] {
        let count = Int(try reader.read(UInt32.self, "token count"))
        guard count * 4 <= reader.remaining else { throw .truncated(field: "tokens") }
        var ids: [Int] = []
        ids.reserveCapacity(count)
        for _ in 0..<count { ids.append(Int(try reader.read(UInt32.self, "tokens"))) }
        return ids
    }

    private static func readPart(_ reader: inout ByteReader) throws(FrameError) -> SentencePart? {
        switch try reader.read(UInt8.self, "part tag") {
        case 0:
            return nil
        case 1:
            let index = Int(try reader.read(UInt32.self, "part index"))
            let count = Int(try reader.read(UInt32.self, "part count"))
            guard index < count else { throw .invalid(field: "part index", reason: "\(index) of \(count)") }
            return SentencePart(
                index: index, count: count, leading: try reader.readText("part leading"), trailing: try reader.readText("part trailing"))
        case let tag:
            throw .invalid(field: "part tag", reason: "\(tag)")
        }
    }

    /// Reads the items of a message that must be one frame of kind `kind`.
    public static func decodeAll(message: [[UInt8]], as kind: WireFormat.Kind) -> [Result<PipelineItem, MalformedItem>] {
        guard message.count == 1 else {
            return [.failure(MalformedItem(problem: .invalid(field: "message", reason: "\(message.count) frames, expected 1")))]
        }
        return decodeAll(message[0], as: kind)
    }

    /// Reads the items of a frame of kind `kind`, in order.
    ///
    /// - Returns: one entry per item: the item, or a ``MalformedItem`` that holds what could
    ///   be read of the item's identity when that much was intact, so the stage can still
    ///   answer for it. Items are length-prefixed, so one broken item does not cost the ones
    ///   after it; a broken header, count or length gives one failure for the rest of the
    ///   frame.
    public static func decodeAll(_ frame: [UInt8], as kind: WireFormat.Kind) -> [Result<PipelineItem, MalformedItem>] {
        var results: [Result<PipelineItem, MalformedItem>] = []
        do throws(FrameError) {
            var (reader, version) = try WireFormat.reader(for: frame, expecting: kind)
            let count = Int(try reader.read(UInt16.self, "item count"))
            guard count > 0 else { throw .invalid(field: "item count", reason: "0") }
            results.reserveCapacity(count)
            for _ in 0..<count {
                let length = Int(try reader.read(UInt32.self, "item length"))
                var body = reader.subreader(count: length)
                let whole = body.remaining == length
                results.append(Result { () throws(MalformedItem) in try decodeItem(&body, whole: whole, version: version, as: kind) })
                if !whole { return results }
            }
            try reader.finish()
        } catch {
            results.append(.failure(MalformedItem(problem: error)))
        }
        return results
    }

    private static func readDelivery(_ reader: inout ByteReader) throws(FrameError) -> Delivery {
        let raw = try reader.read(UInt8.self, "delivery")
        guard let delivery = Delivery(rawValue: raw) else { throw .invalid(field: "delivery", reason: "\(raw)") }
        return delivery
    }

    /// Reads one item of format `version` that fills `reader`; `whole` is false when the frame
    /// ended before the item's declared length.
    private static func decodeItem(
        _ reader: inout ByteReader, whole: Bool, version: UInt8, as kind: WireFormat.Kind
    ) throws(MalformedItem) -> PipelineItem {
        var identity: PipelineItem?
        do throws(FrameError) {
            let (epoch, sequence, lowWater) = (
                try reader.read(UInt64.self, "epoch"), try reader.read(UInt64.self, "sequence"), try reader.read(UInt64.self, "low water")
            )
            let delivery = try readDelivery(&reader)
            var item = PipelineItem(
                epoch: epoch, sequence: sequence, lowWater: lowWater, delivery: delivery,
                replyTo: delivery == .reply ? try reader.readBytes(lengthAs: UInt8.self, "reply to") : [],
                clientID: try reader.readBytes(lengthAs: UInt16.self, "client id"),
                source: try reader.readText("source"), payload: .tokens([]))
            identity = item
            switch try reader.read(UInt8.self, "payload tag") {
            case 0:
                item.payload = .tokens(try readIDs(&reader))
            case 1:
                item.payload = .error(try reader.readText("error"))
            case 2 where version >= 4:
                let count = Int(try reader.read(UInt32.self, "sentence count"))
                guard count * 4 <= reader.remaining else { throw .truncated(field: "sentences") }
                item.payload = .sentences(try (0..<count).map { _ throws(FrameError) in try readIDs(&reader) })
            case let tag:
                throw .invalid(field: "payload tag", reason: "\(tag)")
            }
            if version >= 4 { item.part = try readPart(&reader) }
            try reader.finish()
            guard whole else { throw .truncated(field: "item") }
            return item
        } catch {
            identity?.payload = .error("malformed \(kind) frame: \(error)")
            throw MalformedItem(problem: error, salvage: identity)
        }
    }
}

/// A work or result item that could not be read.
public struct MalformedItem: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong with the frame.
    public let problem: FrameError
    /// The item's identity (epoch, sequence, low water, delivery, client id, source) with an error
    /// payload describing the problem, when those fields were intact; nil otherwise.
    public let salvage: PipelineItem?

    public init(problem: FrameError, salvage: PipelineItem? = nil) {
        self.problem = problem
        self.salvage = salvage
    }

    public var description: String { problem.description }
}

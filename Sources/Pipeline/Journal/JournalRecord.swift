/// One record of the tokenizer's journal: an accepted input, or the sequence numbers of inputs
/// that are done.
///
/// On disk: `u32 length` of the body, `u32` CRC-32C of the body, then the body: `u8 kind`
/// and, for kind 1 (input), the item as a one-item work frame (see docs/PROTOCOL.md); for
/// kind 2 (done), `u64` wall-clock milliseconds, `u32 count` and `count × u64` sequence
/// numbers. Integers are little-endian.
enum JournalRecord: Equatable {
    /// An accepted input with its identity (epoch, sequence, delivery, client id).
    case input(PipelineItem)
    /// Inputs that are done, and when (milliseconds since 1970).
    case done(sequences: [UInt64], atMilliseconds: UInt64)

    /// Bytes of the length and checksum before each body.
    static let headerBytes = 8

    /// The record as it is appended to a segment.
    var framed: [UInt8] {
        var writer = ByteWriter(capacity: 128)
        writer.append(UInt32(0))  // the body's length and checksum, filled in below
        writer.append(UInt32(0))
        switch self {
        case .input(let item):
            writer.append(UInt8(1))
            writer.append(UInt32(0))  // the frame's length, filled in below
            PipelineItem.append(CollectionOfOne(item), as: .work, to: &writer)
            writer.overwrite(UInt32(writer.bytes.count - Self.headerBytes - 5), at: Self.headerBytes + 1)
        case .done(let sequences, let milliseconds):
            writer.append(UInt8(2))
            writer.append(milliseconds)
            writer.append(UInt32(sequences.count))
            for sequence in sequences { writer.append(sequence) }
        }
        writer.overwrite(UInt32(writer.bytes.count - Self.headerBytes), at: 0)
        writer.overwrite(CRC32C.checksum(writer.bytes[Self.headerBytes...]), at: 4)
        return writer.bytes
    }

    /// What a segment's bytes hold: its intact records, in order, the length of the prefix
    /// they fill, and why the rest (if any) was not read.
    struct Scan {
        var records: [JournalRecord] = []
        var validLength = 0
        var damage: String?
    }

    /// Reads the records of a segment up to the end or to the first damaged record: one
    /// that is cut short (a torn write), fails its checksum or cannot be decoded.
    static func scan(_ bytes: [UInt8]) -> Scan {
        var scan = Scan()
        var reader = ByteReader(bytes)
        while reader.remaining > 0 {
            do throws(FrameError) {
                guard reader.remaining >= headerBytes else { throw .truncated(field: "record header") }
                let length = Int(try reader.read(UInt32.self, "record length"))
                let checksum = try reader.read(UInt32.self, "record checksum")
                let body = try reader.readBytes(count: length, "record body")
                guard CRC32C.checksum(body) == checksum else { throw .invalid(field: "record", reason: "checksum mismatch") }
                scan.records.append(try decode(body))
                scan.validLength = bytes.count - reader.remaining
            } catch {
                scan.damage = "\(error) at byte \(scan.validLength)"
                return scan
            }
        }
        return scan
    }

    private static func decode(_ body: [UInt8]) throws(FrameError) -> JournalRecord {
        var reader = ByteReader(body)
        switch try reader.read(UInt8.self, "record kind") {
        case 1:
            let frame = try reader.readBytes(lengthAs: UInt32.self, "input")
            try reader.finish()
            let items = PipelineItem.decodeAll(frame, as: .work)
            guard items.count == 1, case .success(let item) = items[0] else {
                throw .invalid(field: "input", reason: "not a one-item work frame")
            }
            return .input(item)
        case 2:
            let milliseconds = try reader.read(UInt64.self, "done time")
            let count = Int(try reader.read(UInt32.self, "done count"))
            guard count * 8 == reader.remaining else { throw .truncated(field: "done sequences") }
            let sequences = try (0..<count).map { _ throws(FrameError) in try reader.read(UInt64.self, "done sequence") }
            return .done(sequences: sequences, atMilliseconds: milliseconds)
        case let kind:
            throw .invalid(field: "record kind", reason: "\(kind)")
        }
    }
}

/// One message of the deliver endpoint (sink → consumer, after the consumer's routing id):
/// `[record id, record JSON, floor]`.
///
/// The record id is 16 bytes, the tokenizer epoch and the sequence number as big-endian
/// `u64`s: the consumer acknowledges the record with it, and a record sent again has the same
/// id. The floor is a big-endian `u64`: every record of this epoch with a lower sequence
/// number has been acknowledged, so one that comes again is a duplicate. See
/// docs/PROTOCOL.md.
public struct DeliveredRecord: Equatable, Sendable {
    public var epoch: UInt64
    public var sequence: UInt64
    /// The output record, as on the plain output endpoint.
    public var json: [UInt8]
    public var floor: UInt64

    public init(epoch: UInt64, sequence: UInt64, json: [UInt8], floor: UInt64) {
        self.epoch = epoch
        self.sequence = sequence
        self.json = json
        self.floor = floor
    }

    /// The 16-byte id of record `sequence` of `epoch`.
    public static func id(epoch: UInt64, sequence: UInt64) -> [UInt8] {
        bigEndian(epoch) + bigEndian(sequence)
    }

    /// The message's frames.
    public var frames: [[UInt8]] {
        [Self.id(epoch: epoch, sequence: sequence), json, Self.bigEndian(floor)]
    }

    /// Reads a deliver message; nil if it is not one.
    public init?(frames: [[UInt8]]) {
        guard frames.count == 3, frames[0].count == 16, frames[2].count == 8 else { return nil }
        epoch = Self.integer(frames[0][..<8])
        sequence = Self.integer(frames[0][8...])
        json = frames[1]
        floor = Self.integer(frames[2][...])
    }

    /// The (epoch, sequence) of a 16-byte record id; nil for anything else.
    public static func parse(id: [UInt8]) -> (epoch: UInt64, sequence: UInt64)? {
        guard id.count == 16 else { return nil }
        return (integer(id[..<8]), integer(id[8...]))
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }

    private static func integer(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// The versioned binary format of the frames between stages (see docs/PROTOCOL.md).
///
/// Every internal message is one frame that starts with a four-byte header: the magic
/// bytes `S2`, the format version and the message kind. Integers are little-endian.
public enum WireFormat {
    /// The first two bytes of every frame, `"S2"`.
    public static let magic: [UInt8] = [0x53, 0x32]
    /// The version this build writes.
    public static let version: UInt8 = 4
    /// The versions this build reads: version 3 (no sentence parts) is still read, so that a
    /// journal written before an upgrade is replayed.
    public static let readableVersions: ClosedRange<UInt8> = 3...4

    /// What a frame carries.
    public enum Kind: UInt8, Sendable, CustomStringConvertible {
        /// Tokenizer → worker: a segment to decode (or an error to pass on).
        case work = 1
        /// Worker → sink: a decoded segment (or an error).
        case result = 2
        /// Sink → tokenizer: acknowledgements and heartbeats.
        case ack = 3

        public var description: String {
            switch self {
            case .work: "work"
            case .result: "result"
            case .ack: "ack"
            }
        }
    }

    /// A writer holding the header of a `kind` frame.
    static func writer(for kind: Kind, capacity: Int = 64) -> ByteWriter {
        var writer = ByteWriter(capacity: capacity)
        appendHeader(kind, to: &writer)
        return writer
    }

    /// Appends the header of a `kind` frame to `writer`.
    static func appendHeader(_ kind: Kind, to writer: inout ByteWriter) {
        for byte in magic { writer.append(byte) }
        writer.append(version)
        writer.append(kind.rawValue)
    }

    /// A reader positioned after the header, which must announce `kind`, and the frame's version.
    static func reader(for frame: [UInt8], expecting kind: Kind) throws(FrameError) -> (reader: ByteReader, version: UInt8) {
        var reader = ByteReader(frame)
        guard try reader.readBytes(count: magic.count, "magic") == magic else {
            throw .invalid(field: "magic", reason: "not a seq2seq pipeline frame")
        }
        let version = try reader.read(UInt8.self, "version")
        guard readableVersions.contains(version) else {
            throw .invalid(field: "version", reason: "version \(version), expected \(WireFormat.version)")
        }
        let raw = try reader.read(UInt8.self, "kind")
        guard raw == kind.rawValue else {
            let name = Kind(rawValue: raw).map(\.description) ?? "unknown kind \(raw)"
            throw .invalid(field: "kind", reason: "\(name), expected \(kind)")
        }
        return (reader, version)
    }
}

/// Appends little-endian integers and length-prefixed byte strings to a frame.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func append<Value: FixedWidthInteger & UnsignedInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes `value` over the bytes at `offset`, which must have been written already: for
    /// a length known only after what it measures.
    mutating func overwrite<Value: FixedWidthInteger & UnsignedInteger>(_ value: Value, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + $0.count), with: $0) }
    }

    /// `count` as a `Length`, then the bytes.
    mutating func appendBytes<Length: FixedWidthInteger & UnsignedInteger>(
        _ data: some Collection<UInt8>, lengthAs _: Length.Type
    ) {
        append(Length(data.count))
        append(contentsOf: data)
    }

    /// The bytes, without a length.
    mutating func append(contentsOf data: some Collection<UInt8>) {
        bytes.append(contentsOf: data)
    }
}

/// Why a frame could not be read.
public enum FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The frame ends before the field named.
    case truncated(field: String)
    /// A field holds a value the format does not allow.
    case invalid(field: String, reason: String)
    /// Bytes left over after the last field.
    case trailingBytes(Int)

    public var description: String {
        switch self {
        case .truncated(let field): "frame ends inside \(field)"
        case .invalid(let field, let reason): "bad \(field): \(reason)"
        case .trailingBytes(let count): "\(count) bytes after the last field"
        }
    }
}

/// Reads what ``ByteWriter`` wrote; every read checks the bytes left first, so no input can
/// make it read out of bounds or allocate more than the frame holds.
struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0
    /// Where this reader's bytes end (a sub-reader sees part of its parent's frame).
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        end = bytes.count
    }

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        offset = range.lowerBound
        end = range.upperBound
    }

    var remaining: Int { end - offset }

    /// A reader of the next `count` bytes (fewer if fewer are left), which this reader
    /// skips; no bytes are copied.
    mutating func subreader(count: Int) -> ByteReader {
        let range = offset..<(offset + min(count, remaining))
        offset = range.upperBound
        return ByteReader(bytes, range: range)
    }

    mutating func read<Value: FixedWidthInteger & UnsignedInteger>(
        _: Value.Type, _ field: String
    ) throws(FrameError) -> Value {
        let size = MemoryLayout<Value>.size
        guard remaining >= size else { throw .truncated(field: field) }
        var value: Value = 0
        for index in 0..<size { value |= Value(bytes[offset + index]) << (8 * index) }
        offset += size
        return value
    }

    /// `count` raw bytes.
    mutating func readBytes(count: Int, _ field: String) throws(FrameError) -> [UInt8] {
        guard remaining >= count else { throw .truncated(field: field) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// A `Length`-prefixed byte string.
    mutating func readBytes<Length: FixedWidthInteger & UnsignedInteger>(
        lengthAs _: Length.Type, _ field: String
    ) throws(FrameError) -> [UInt8] {
        try readBytes(count: Int(try read(Length.self, field)), field)
    }

    /// A `UInt32`-prefixed UTF-8 string.
    mutating func readText(_ field: String) throws(FrameError) -> String {
        let bytes = try readBytes(lengthAs: UInt32.self, field)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalid(field: field, reason: "not valid UTF-8")
        }
        return text
    }

    /// Fails unless every byte has been read.
    func finish() throws(FrameError) {
        guard remaining == 0 else { throw .trailingBytes(remaining) }
    }
}

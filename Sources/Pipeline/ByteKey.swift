/// Bytes as a dictionary key, hashed in one call over the whole buffer (an `[UInt8]` key is
/// hashed byte by byte): for client ids and routing ids.
struct ByteKey: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

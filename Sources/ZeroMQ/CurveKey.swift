import CZeroMQ

/// One CURVE key (public or secret) as the 40 characters of Z85 text that
/// `zmq_curve_keypair` writes: the form kept in key files and given to socket options.
public struct CurveKey: Hashable, Sendable, CustomStringConvertible {
    /// The Z85 characters of a key: 32 bytes encode to 40 of them.
    public static let textLength = 40
    /// The 85 characters of the Z85 alphabet (ZeroMQ RFC 32).
    static let alphabet = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

    /// The 40 Z85 characters.
    public let text: String

    /// The key written as `text`, or nil unless `text` is exactly 40 Z85 characters.
    public init?(text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == Self.textLength, bytes.allSatisfy(Self.alphabet.contains) else { return nil }
        self.text = text
    }

    /// The key whose 32 raw bytes are `binary` (as a ZAP request carries a client's key), or
    /// nil unless there are exactly 32 of them (`zmq_z85_encode`).
    public init?(binary: [UInt8]) {
        guard binary.count == 32 else { return nil }
        var text = [CChar](repeating: 0, count: Self.textLength + 1)
        guard zmq_z85_encode(&text, binary, binary.count) != nil else { return nil }
        self.text = String(cString: text)
    }

    /// The key's 32 raw bytes (`zmq_z85_decode`).
    public var binary: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        // A key's text is valid Z85 of the right length, so decoding cannot fail.
        _ = zmq_z85_decode(&bytes, text)
        return bytes
    }

    /// The Z85 text; a secret key's text is a secret, so never log it.
    public var description: String { text }
}

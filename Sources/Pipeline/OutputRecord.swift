import Foundation

/// One output message: the JSON object the sink sends for each input segment,
/// `{"id": …, "source": …, "translation": …}` or `{"id": …, "source": …, "error": …}`,
/// with `"id_base64"` in place of `"id"` when the client id is not valid UTF-8.
public struct OutputRecord: Codable, Equatable, Sendable {
    /// The client id, or the decimal sequence number the tokenizer gave a one-frame input.
    public var id: String?
    /// A client id that is not valid UTF-8, in standard base64.
    public var idBase64: String?
    /// The input text.
    public var source: String
    /// The translation, on success.
    public var translation: String?
    /// Why there is no translation, otherwise.
    public var error: String?

    /// What became of a segment.
    public enum Outcome: Equatable, Sendable {
        case translation(String)
        case error(String)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case idBase64 = "id_base64"
        case source, translation, error
    }

    /// A record for client id bytes `clientID`, choosing `id` or `id_base64`.
    public init(clientID: [UInt8], source: String, outcome: Outcome) {
        if let text = String(validating: clientID, as: UTF8.self) {
            id = text
        } else {
            idBase64 = Data(clientID).base64EncodedString()
        }
        self.source = source
        switch outcome {
        case .translation(let text): translation = text
        case .error(let message): error = message
        }
    }

    /// The client id bytes, from `id` or `id_base64`.
    public var clientID: [UInt8]? {
        if let id { return Array(id.utf8) }
        return idBase64.flatMap { Data(base64Encoded: $0) }.map(Array.init)
    }

    /// Parses an output frame. Other keys than the record's are ignored.
    public init(json: [UInt8]) throws {
        guard let fields = StringObjectParser.parse(json), let source = fields["source"] else {
            // Other value types, or a missing source: the full parser accepts or names the problem.
            self = try JSONDecoder().decode(OutputRecord.self, from: Data(json))
            return
        }
        id = fields["id"]
        idBase64 = fields["id_base64"]
        self.source = source
        translation = fields["translation"]
        error = fields["error"]
    }

    /// The UTF-8 JSON frame, keys in the documented order.
    public var json: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + [id, idBase64, source, translation, error].reduce(0) { $0 + ($1?.utf8.count ?? 0) })
        out.append(UInt8(ascii: "{"))
        func field(_ key: String, _ value: String?) {
            guard let value else { return }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            Self.appendQuoted(key, to: &out)
            out.append(UInt8(ascii: ":"))
            Self.appendQuoted(value, to: &out)
        }
        field("id", id)
        field("id_base64", idBase64)
        field("source", source)
        field("translation", translation)
        field("error", error)
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal (RFC 8259 escapes) in UTF-8. Only `"`, `\\` and
    /// control characters need escaping; every other byte of valid UTF-8 is copied as it is.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendQuoted(utf8: $0, to: &out) }
    }

    private static func appendQuoted(utf8 text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        defer { out.append(UInt8(ascii: "\"")) }
        guard text.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            out += text
            return
        }
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case ..<0x20: out += Array(#"\u00"#.utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
    }
}

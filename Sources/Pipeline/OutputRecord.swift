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

    /// Parses an output frame.
    public init(json: [UInt8]) throws {
        self = try JSONDecoder().decode(OutputRecord.self, from: Data(json))
    }

    /// The UTF-8 JSON frame, keys in the documented order.
    public var json: [UInt8] {
        var fields: [(String, String)] = []
        if let id { fields.append(("id", id)) }
        if let idBase64 { fields.append(("id_base64", idBase64)) }
        fields.append(("source", source))
        if let translation { fields.append(("translation", translation)) }
        if let error { fields.append(("error", error)) }
        let body = fields.map { "\(Self.quoted($0.0)):\(Self.quoted($0.1))" }.joined(separator: ",")
        return Array("{\(body)}".utf8)
    }

    /// `text` as a JSON string literal (RFC 8259 escapes).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

import Foundation
import Pipeline

/// The parameters of a request, from its query string and its body, as LibreTranslate reads
/// them: a JSON object (`application/json`) or a form (`application/x-www-form-urlencoded`,
/// also taken when the content type is missing). Body values win over query values.
///
/// A value is a string or, for `q` only, an array of strings; numbers and booleans in JSON
/// are taken as their text, so that `"api_key": 123` is a key like any other (booleans
/// may read `1` and `0`).
public struct RequestParameters: Equatable, Sendable {
    /// One parameter's value.
    public enum Value: Equatable, Sendable {
        case string(String)
        case strings([String])
    }

    public private(set) var values: [String: Value] = [:]

    /// Reads `query` (the URL's query string, without `?`), then `body` as `contentType` says.
    ///
    /// - Throws: ``APIError`` (400) for a body that does not parse or has values of other types.
    public init(query: String?, body: [UInt8], contentType: String?) throws(APIError) {
        if let query { merge(Self.form(query)) }
        // The media type, without parameters (Foundation's trimming is slow on this path).
        let mediaType = contentType?.split(separator: ";").first.map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()).lowercased() }
        let blank = body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if blank { return }
        switch mediaType {
        case "application/json"?:
            merge(try Self.json(body))
        case nil, "application/x-www-form-urlencoded"?, "text/plain"?:
            guard let form = String(validating: body, as: UTF8.self) else {
                throw APIError(.badRequest, "Invalid request: the body is not valid UTF-8")
            }
            merge(Self.form(form))
        case let other?:
            throw APIError(.badRequest, "Invalid request: unsupported content type \(other); send application/json or application/x-www-form-urlencoded")
        }
    }

    /// A string parameter: nil when absent; its text; an array's first element.
    public func string(_ name: String) -> String? {
        switch values[name] {
        case .string(let text)?: text
        case .strings(let texts)?: texts.first
        case nil: nil
        }
    }

    private mutating func merge(_ other: [String: Value]) {
        values.merge(other) { $1 }
    }

    /// `name=value&…` with `+` for spaces and percent escapes; repeated names keep the last.
    static func form(_ text: String) -> [String: Value] {
        var values: [String: Value] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            values[decode(parts[0])] = .string(parts.count > 1 ? decode(parts[1]) : "")
        }
        return values
    }

    /// A JSON object's members: strings, numbers and booleans as text, `q` also as an array of
    /// strings; nulls are left out.
    static func json(_ body: [UInt8]) throws(APIError) -> [String: Value] {
        // The common case, an object of strings, without Foundation's slower parser.
        if let fields = StringObjectParser.parse(body) { return fields.mapValues { .string($0) } }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) } catch {
            throw APIError(.badRequest, "Invalid request: the body is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw APIError(.badRequest, "Invalid request: the body is not a JSON object") }
        var values: [String: Value] = [:]
        for (name, member) in object {
            if member is NSNull { continue }
            if let text = scalarText(member) {
                values[name] = .string(text)
            } else if let array = member as? [Any], name == "q" {
                let texts = array.compactMap(scalarText)
                guard texts.count == array.count else { throw APIError(.badRequest, "Invalid request: q must be a string or an array of strings") }
                values[name] = .strings(texts)
            } else {
                throw APIError(.badRequest, "Invalid request: \(name) must be a string")
            }
        }
        return values
    }

    /// A string, number or boolean as text; nil for anything else.
    private static func scalarText(_ value: Any) -> String? {
        if let text = value as? String { return text }
        return (value as? NSNumber)?.stringValue
    }
}

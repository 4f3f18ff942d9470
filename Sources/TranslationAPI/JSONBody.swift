import Foundation
import Hummingbird

/// JSON response bodies, written with Foundation's serializer (keys sorted, so responses are
/// the same bytes every time).
enum JSONBody {
    /// `value` (dictionaries, arrays, strings, numbers, booleans) as UTF-8 JSON.
    static func encode(_ value: Any) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])) ?? Data("null".utf8)
        return Array(data)
    }

    /// A 200 response holding `value` as JSON.
    static func response(_ value: Any, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: encode(value))))
    }
}

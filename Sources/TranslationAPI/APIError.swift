import Foundation
import Hummingbird

/// An error answered as LibreTranslate answers errors: the status and a JSON body
/// `{"error": "..."}`.
public struct APIError: Error, Equatable, Sendable {
    public var status: HTTPResponse.Status
    public var message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// 400 for a request that lacks parameter `name`, in LibreTranslate's words.
    static func missing(_ name: String) -> APIError {
        APIError(.badRequest, "Invalid request: missing \(name) parameter")
    }

    /// The response: `{"error": message}`, with `headers` added.
    func response(headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: JSONBody.encode(["error": message]))))
    }
}

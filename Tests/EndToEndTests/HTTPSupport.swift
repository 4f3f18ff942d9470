import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A plain HTTP client for the tests: Foundation's URLSession, waited on.
enum HTTPClient {
    /// What the session's callback thread hands back, read after it signals.
    final class Reply: @unchecked Sendable {
        var status = 0
        var body = Data()
        var headers: [String: String] = [:]
    }

    /// An answer: its status, body and headers (names lower-cased).
    struct Answer {
        var status: Int
        var body: String
        var headers: [String: String]
    }

    /// The answer to a request to `url` with `headers`, or nil when none came within `seconds`.
    static func request(
        _ url: String, method: String = "GET", body: Data? = nil, contentType: String? = nil, headers: [String: String] = [:],
        seconds: Double = 30
    ) -> Answer? {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = seconds
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        let reply = Reply()
        URLSession.shared.dataTask(with: request) { data, response, _ in
            reply.body = data ?? Data()
            let response = response as? HTTPURLResponse
            reply.status = response?.statusCode ?? 0
            for case (let name as String, let value as String) in response?.allHeaderFields ?? [:] { reply.headers[name.lowercased()] = value }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + seconds) == .success, reply.status != 0 else { return nil }
        return Answer(status: reply.status, body: String(decoding: reply.body, as: UTF8.self), headers: reply.headers)
    }
}

/// The first of `count` consecutive TCP ports on loopback that are free now.
func freePorts(_ count: Int) -> Int {
    while true {
        let base = freePort()
        if base + count < 65536, (base..<(base + count)).allSatisfy({ bindLoopback(port: UInt16($0)) != nil }) { return base }
    }
}

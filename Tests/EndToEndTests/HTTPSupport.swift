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
    }

    /// The status and body of a request to `url`, or nil when no answer came within `seconds`.
    static func request(
        _ url: String, method: String = "GET", body: Data? = nil, contentType: String? = nil, seconds: Double = 30
    ) -> (status: Int, body: String)? {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = seconds
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let done = DispatchSemaphore(value: 0)
        let reply = Reply()
        URLSession.shared.dataTask(with: request) { data, response, _ in
            reply.body = data ?? Data()
            reply.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + seconds) == .success, reply.status != 0 else { return nil }
        return (reply.status, String(decoding: reply.body, as: UTF8.self))
    }
}

/// The first of `count` consecutive TCP ports on loopback that are free now.
func freePorts(_ count: Int) -> Int {
    while true {
        let base = freePort()
        if base + count < 65536, (base..<(base + count)).allSatisfy({ bindLoopback(port: UInt16($0)) != nil }) { return base }
    }
}

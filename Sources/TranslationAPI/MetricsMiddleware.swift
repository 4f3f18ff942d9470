import Hummingbird
import Metrics

/// The API's metrics, on the process's `/metrics`: `seq2seq_http_requests_total{path}`, the
/// histogram `seq2seq_http_request_seconds{path}` and `seq2seq_http_errors_total{status}`
/// (every answer of 400 and above). Paths other than the API's count as `other`.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    static let paths: Set<String> = ["/translate", "/detect", "/languages", "/health", "/frontend/settings"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = Self.paths.contains(request.uri.path) ? request.uri.path : "other"
        Counter(label: "seq2seq_http_requests_total", dimensions: [("path", path)]).increment()
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The error middleware inside answers everything; this is a failure to answer at all.
            Counter(label: "seq2seq_http_errors_total", dimensions: [("status", "500")]).increment()
            throw error
        }
        let elapsed = start.duration(to: .now)
        Metrics.Timer(label: "seq2seq_http_request_seconds", dimensions: [("path", path)]).recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        if response.status.code >= 400 {
            Counter(label: "seq2seq_http_errors_total", dimensions: [("status", "\(response.status.code)")]).increment()
        }
        return response
    }
}

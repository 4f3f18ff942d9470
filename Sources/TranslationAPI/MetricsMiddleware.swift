import Hummingbird
import Metrics

/// The API's metrics, on the process's `/metrics`: `seq2seq_http_requests_total{path}`, the
/// histogram `seq2seq_http_request_seconds{path}` and `seq2seq_http_errors_total{status}`
/// (every answer of 400 and above). Paths other than the API's count as `other`.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// Per path: its request counter and its latency timer, made once (the backend must be
    /// bootstrapped before the middleware is made).
    private let series: [String: (requests: Counter, latency: Metrics.Timer)]

    init() {
        let paths = ["/translate", "/detect", "/languages", "/health", "/frontend/settings", "other"]
        series = Dictionary(uniqueKeysWithValues: paths.map { path in
            (path, (Counter(label: "seq2seq_http_requests_total", dimensions: [("path", path)]),
                Metrics.Timer(label: "seq2seq_http_request_seconds", dimensions: [("path", path)])))
        })
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let (requests, latency) = series[request.uri.path] ?? series["other"]!
        requests.increment()
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The error middleware inside answers everything; this is a failure to answer at all.
            Counter(label: "seq2seq_http_errors_total", dimensions: [("status", "500")]).increment()
            throw error
        }
        let elapsed = start.duration(to: .now)
        latency.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        if response.status.code >= 400 {
            Counter(label: "seq2seq_http_errors_total", dimensions: [("status", "\(response.status.code)")]).increment()
        }
        return response
    }
}

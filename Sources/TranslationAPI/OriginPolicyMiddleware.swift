import Hummingbird

/// CORS for `--cors-origins`: a request from an allowed origin gets
/// `Access-Control-Allow-Origin`, and a preflight (`OPTIONS` with
/// `Access-Control-Request-Method`) from one is answered 204 with the methods and headers
/// allowed. Requests from other origins get no CORS headers, so browsers refuse them.
struct OriginPolicyMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// Allowed origins, `*` for any.
    let origins: [String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], let allowed = allowedValue(for: origin) else {
            return try await next(request, context)
        }
        var response: Response
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
            response.headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "Content-Type"
            response.headers[.accessControlMaxAge] = "600"
        } else {
            response = try await next(request, context)
        }
        response.headers[.accessControlAllowOrigin] = allowed
        if allowed != "*" { response.headers[.vary] = "Origin" }
        return response
    }

    /// The `Access-Control-Allow-Origin` value for a request from `origin`, nil if not allowed.
    private func allowedValue(for origin: String) -> String? {
        if origins.contains("*") { return "*" }
        return origins.contains(origin) ? origin : nil
    }
}

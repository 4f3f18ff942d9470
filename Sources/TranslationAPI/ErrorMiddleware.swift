import Hummingbird
import Logging

/// Turns every error into LibreTranslate's error response, `{"error": "..."}`: an
/// ``APIError`` as it is, Hummingbird's own (404, 405, 413, …) with their message, anything
/// else as 500, logged.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as HTTPResponseError {
            let message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            return APIError(error.status, message).response()
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "problem": "\(error)"])
            return APIError(.internalServerError, "Internal error: \(error)").response()
        }
    }
}

import HTTPTypes
import Hummingbird
import Logging

/// Stamps every response, errors included, with `X-Request-Id`, and every log line of the
/// request with the same id.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        var response = try await next(request, context)
        response.headers[.requestID] = context.requestID
        return response
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}

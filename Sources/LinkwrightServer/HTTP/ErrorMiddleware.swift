import Foundation
import LinkwrightCore
import Hummingbird
import Logging

/// Turns every thrown error into a JSON error response in the documented shape.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError(mapping: error)
            if apiError.status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            } else if apiError.status.code >= 500 {
                context.logger.warning("request refused", metadata: ["detail": "\(apiError.detail)"])
            }
            return Self.render(apiError, requestID: context.requestID)
        }
    }

    static func render(_ error: APIError, requestID: String) -> Response {
        let body = ErrorBody(errorCode: error.code, detail: error.detail, field: error.field, requestId: requestID, timestamp: Date())
        let data = (try? APIJSON.makeEncoder().encode(body)) ?? Data()
        var headers = error.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: .init(bytes: data)))
    }
}

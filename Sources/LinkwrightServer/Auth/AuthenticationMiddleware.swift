import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// Resolves `Authorization: Bearer …` into a principal: a JWT access token, or an API key when
/// the token starts with `lw_`. Routes behind it can rely on `context.state.principal`.
///
/// A `read` API key is refused any method that changes state here, once, rather than in every
/// handler.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: AccessTokens
    let apiKeys: APIKeyRepository

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError.unauthorized()
        }
        let credential = String(header.dropFirst("bearer ".count)).trimmingWhitespace()
        let principal: Principal
        if credential.hasPrefix(APIKeyToken.scheme) {
            guard let token = APIKeyToken(credential), let key = try await apiKeys.authenticate(token) else {
                throw APIError.unauthorized("API key is invalid, revoked or expired")
            }
            principal = .apiKey(tenantID: key.tenantID, keyID: key.id, scopes: Set(key.scopes), createdBy: key.createdBy)
            if !request.method.isSafe, !key.scopes.contains(.write), !key.scopes.contains(.admin) {
                context.state.principal = principal
                throw APIError.forbidden("this API key has the read scope only")
            }
        } else {
            guard let verified = await tokens.verify(credential) else {
                throw APIError.unauthorized("access token is invalid or expired")
            }
            principal = verified
        }
        context.state.principal = principal
        return try await next(request, context)
    }
}

extension HTTPRequest.Method {
    var isSafe: Bool { self == .get || self == .head || self == .options }
}

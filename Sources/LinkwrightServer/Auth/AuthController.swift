import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// Sign-up, login, token refresh and logout, plus `GET /me`.
struct AuthController: Sendable {
    let accounts: AccountRepository
    let refreshTokens: RefreshTokenRepository
    let tokens: AccessTokens
    let hashing: PasswordHashing
    let throttle: LoginThrottle

    /// Routes that need no credentials.
    /// Sign-up and login: where passwords are guessed and tenants mass-created, so they are
    /// limited per client address.
    func addCredentialRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("signup", use: signup)
        group.post("login", use: login)
    }

    /// Refresh and logout need a refresh token (256 random bits: nothing to guess), and every
    /// page load of everyone behind one office address refreshes: not limited per address.
    func addTokenRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("refresh", use: refresh)
        group.post("logout", use: logout)
    }

    func addAuthenticatedRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("me", use: me)
    }

    @Sendable func signup(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<TokenBody> {
        let body = try await request.decodeJSON(as: SignupRequest.self, context: context)
        guard let email = EmailAddress(body.email) else { throw APIError.validation("email", "is not a valid email address") }
        if let problem = PasswordPolicy.problem(with: body.password) { throw APIError.validation("password", problem) }
        let tenantName = body.tenantName.trimmingWhitespace()
        guard (1...200).contains(tenantName.count) else { throw APIError.validation("tenant_name", "must be 1 to 200 characters") }

        let hash = try await hashing.hash(body.password)
        let (tenant, user) = try await accounts.createTenant(name: tenantName, ownerEmail: email, passwordHash: hash)
        let principal = Principal.user(tenantID: tenant.id, userID: user.id, role: user.role)
        context.state.describeForAudit(action: "auth.signup", targetID: tenant.id.uuidString.lowercased(), tenantID: tenant.id, actor: principal)
        var response = try await tokenBody(
            for: principal, user: UserBody(user), refresh: try await refreshTokens.issue(for: .user(tenantID: tenant.id, userID: user.id)))
        response.tenant = TenantBody(tenant)
        return delivering(response, status: .created, cookie: body.useCookie == true)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<TokenBody> {
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        return delivering(try await login(body, context: context), cookie: body.useCookie == true)
    }

    func login(_ body: LoginRequest, context: AppRequestContext) async throws -> TokenBody {
        context.state.describeForAudit(action: "auth.login")
        // Bounded: the throttle keeps one entry per key, and an email field can be a megabyte.
        let account = String(body.email.trimmingWhitespace().lowercased().prefix(320))
        if let wait = await throttle.delay(account: account, address: context.clientAddress) {
            throw APIError.rateLimited(retryAfter: Int(wait.components.seconds) + 1, detail: "too many failed sign-ins; wait before trying again")
        }
        var subject: LoginSubject?
        if let email = EmailAddress(body.email) { subject = try await accounts.loginSubject(email: email) }
        guard let subject else {
            try await hashing.verifyDecoy(body.password)
            await throttle.recordFailure(account: account, address: context.clientAddress)
            throw Self.badCredentials
        }
        if case .user(let user, _) = subject {
            // A failed attempt on a real account belongs in that tenant's audit log.
            context.state.describeForAudit(tenantID: user.tenantID)
        }
        guard try await hashing.verify(body.password, against: subject.passwordHash) else {
            await throttle.recordFailure(account: account, address: context.clientAddress)
            throw Self.badCredentials
        }
        await throttle.recordSuccess(account: account)
        switch subject {
        case .user(let user, _):
            let principal = Principal.user(tenantID: user.tenantID, userID: user.id, role: user.role)
            context.state.describeForAudit(tenantID: user.tenantID, actor: principal)
            let refresh = try await refreshTokens.issue(for: .user(tenantID: user.tenantID, userID: user.id))
            var response = try await tokenBody(for: principal, user: UserBody(user), refresh: refresh)
            response.tenant = try await accounts.tenant(id: user.tenantID).map(TenantBody.init)
            return response
        case .operator(let op, _):
            let principal = Principal.operator(id: op.id)
            context.state.describeForAudit(actor: principal)
            return try await tokenBody(for: principal, user: UserBody(op), refresh: try await refreshTokens.issue(for: .operator(op.id)))
        }
    }

    @Sendable func refresh(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<TokenBody> {
        let body = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        let fromCookie = body.refreshToken == nil
        return delivering(
            try await refresh(presenting: body.refreshToken ?? Self.cookie(in: request), context: context),
            cookie: fromCookie || body.useCookie == true)
    }

    func refresh(presenting token: String?, context: AppRequestContext) async throws -> TokenBody {
        context.state.describeForAudit(action: "auth.refresh")
        guard let token, let presented = OpaqueToken(token) else { throw APIError.unauthorized("refresh token is invalid") }
        switch try await refreshTokens.rotate(presented) {
        case .invalid:
            throw APIError.unauthorized("refresh token is invalid or expired")
        case .reused:
            throw APIError.unauthorized("refresh token was already used; every session of this sign-in has been ended")
        case .rotated(.user(let tenantID, let userID), let next):
            guard let user = try await accounts.user(tenantID: tenantID, id: userID) else {
                throw APIError.unauthorized("this user no longer exists")
            }
            let principal = Principal.user(tenantID: tenantID, userID: userID, role: user.role)
            context.state.describeForAudit(tenantID: tenantID, actor: principal)
            var response = try await tokenBody(for: principal, user: UserBody(user), refresh: next)
            response.tenant = try await accounts.tenant(id: tenantID).map(TenantBody.init)
            return response
        case .rotated(.operator(let id), let next):
            guard let op = try await accounts.operatorRecord(id: id) else { throw APIError.unauthorized("this operator no longer exists") }
            context.state.describeForAudit(actor: .operator(id: id))
            return try await tokenBody(for: .operator(id: id), user: UserBody(op), refresh: next)
        }
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        context.state.describeForAudit(action: "auth.logout")
        if let token = body.refreshToken ?? Self.cookie(in: request), let presented = OpaqueToken(token) {
            try await refreshTokens.revokeFamily(of: presented)
        }
        return Response(status: .noContent, headers: [.setCookie: Self.setCookie(value: "", maxAge: 0)])
    }

    /// The refresh cookie: sent only to the auth endpoints, never readable by scripts, never
    /// sent from another site.
    static let cookieName = "lw_refresh"

    static func setCookie(value: String, maxAge: Int) -> String {
        "\(cookieName)=\(value); Path=/api/v1/auth; Max-Age=\(maxAge); HttpOnly; Secure; SameSite=Strict"
    }

    static func cookie(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == cookieName, !parts[1].isEmpty { return parts[1] }
            }
        }
        return nil
    }

    /// The tokens as JSON, or, for the browser, with the refresh token moved into the cookie.
    func delivering(_ body: TokenBody, status: HTTPResponse.Status = .ok, cookie: Bool) -> JSONResponse<TokenBody> {
        guard cookie, let refresh = body.refreshToken else { return JSONResponse(status: status, body: body) }
        var body = body
        body.refreshToken = nil
        return JSONResponse(
            status: status, body: body,
            headers: [.setCookie: Self.setCookie(value: refresh, maxAge: Int(refreshTokens.lifetime.components.seconds))])
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> MeBody {
        // The one route open to tenants and operators alike: it reads the principal itself.
        let tenantID: UUID
        let userID: UUID
        var key: MeBody.APIKeyRef?
        switch context.state.principal {
        case .operator(let id)?:
            guard let op = try await accounts.operatorRecord(id: id) else { throw APIError.unauthorized("this operator no longer exists") }
            return MeBody(user: UserBody(op), tenant: nil, role: "operator", apiKey: nil, plan: nil)
        case .user(let tenant, let user, _)?:
            (tenantID, userID) = (tenant, user)
        case .apiKey(let tenant, let keyID, let scopes, let createdBy)?:
            (tenantID, userID) = (tenant, createdBy)
            key = .init(id: keyID.lowercased, scopes: scopes.sorted().map(\.rawValue))
        case nil:
            throw APIError.unauthorized()
        }
        guard let (user, tenant, usage) = try await accounts.userWithTenant(tenantID: tenantID, userID: userID) else {
            throw APIError.unauthorized("this user no longer exists")
        }
        return MeBody(user: UserBody(user), tenant: TenantBody(tenant), role: user.role.rawValue, apiKey: key, plan: PlanBody(usage))
    }

    static let badCredentials = APIError.unauthorized("email or password is incorrect")

    private func tokenBody(for principal: Principal, user: UserBody, refresh: OpaqueToken) async throws -> TokenBody {
        TokenBody(
            tenant: nil, user: user, accessToken: try await tokens.issue(for: principal),
            refreshToken: refresh.value, expiresIn: Int(AccessTokens.lifetime.components.seconds))
    }
}

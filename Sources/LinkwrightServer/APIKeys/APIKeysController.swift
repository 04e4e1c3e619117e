import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

struct CreateAPIKeyRequest: Decodable {
    let name: String
    let scopes: [String]
    let expiresAt: Date?
}

struct APIKeyBody: Encodable, Sendable {
    let id: String
    let name: String
    let prefix: String
    let scopes: [String]
    let createdBy: String
    let createdAt: Date
    let expiresAt: Date?
    let lastUsedAt: Date?
    /// The whole key, present only in the response that created it.
    var key: String?

    init(_ r: APIKeyRecord, key: String? = nil) {
        id = r.id.lowercased
        name = r.name
        prefix = r.prefix
        scopes = r.scopes.map(\.rawValue)
        createdBy = r.createdBy.lowercased
        createdAt = r.createdAt
        expiresAt = r.expiresAt
        lastUsedAt = r.lastUsedAt
        self.key = key
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(prefix, forKey: .prefix)
        try c.encode(scopes, forKey: .scopes)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encode(lastUsedAt, forKey: .lastUsedAt)
        try c.encodeIfPresent(key, forKey: .key)
    }

    enum CodingKeys: String, CodingKey { case id, name, prefix, scopes, createdBy, createdAt, expiresAt, lastUsedAt, key }
}

/// Tenant API keys. Anyone in the tenant may hold keys for scripts; the `admin` scope is for
/// owners and admins. Managers see and revoke every key of the tenant, members only their own.
/// API keys themselves manage keys only with the admin scope: a leaked write key cannot mint more.
struct APIKeysController: Sendable {
    let accounts: AccountRepository
    let apiKeys: APIKeyRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("api-keys", use: create)
        group.get("api-keys", use: list)
        group.delete("api-keys/{id}", use: revoke)
    }

    /// The acting user's current role, and whether the caller may touch every key of the tenant.
    private func access(_ context: AppRequestContext) async throws -> (TenantActor, TenantRole) {
        let actor = try context.tenant
        if case .apiKey = actor.principal { return (actor, try await ManagerAccessMiddleware.role(of: actor, accounts: accounts)) }
        guard let user = try await accounts.user(tenantID: actor.tenantID, id: actor.userID) else {
            throw APIError.unauthorized("this user no longer exists")
        }
        return (actor, user.role)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<APIKeyBody> {
        let (actor, role) = try await access(context)
        let body = try await request.decodeJSON(as: CreateAPIKeyRequest.self, context: context)
        let name = body.name.trimmingWhitespace()
        guard (1...100).contains(name.count) else { throw APIError.validation("name", "must be 1 to 100 characters") }
        var scopes: Set<APIKeyScope> = []
        for raw in body.scopes {
            guard let scope = APIKeyScope(rawValue: raw) else { throw APIError.validation("scopes", "may contain only read, write and admin") }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else { throw APIError.validation("scopes", "must name at least one scope") }
        if scopes.contains(.admin), !role.canManageTenant { throw APIError.forbidden("only owners and admins may create keys with the admin scope") }
        if let expiresAt = body.expiresAt, expiresAt <= Date() { throw APIError.validation("expires_at", "must be in the future") }

        let token = APIKeyToken.generate()
        let record = try await apiKeys.create(
            tenantID: actor.tenantID, name: name, scopes: scopes.sorted(), createdBy: actor.userID,
            expiresAt: body.expiresAt, token: token)
        context.state.describeForAudit(action: "api_key.create", targetID: record.id.uuidString.lowercased())
        return JSONResponse(status: .created, body: APIKeyBody(record, key: token.value))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<APIKeyBody> {
        let (actor, role) = try await access(context)
        let page = try PageQuery(request)
        let result = try await apiKeys.list(
            tenantID: actor.tenantID, createdBy: role.canManageTenant ? nil : actor.userID, limit: page.limit, after: page.cursor)
        return PageBody(items: result.items.map { APIKeyBody($0) }, nextCursor: result.nextCursor?.encoded)
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let (actor, role) = try await access(context)
        let id = try context.parameters.uuid()
        context.state.describeForAudit(action: "api_key.revoke")
        guard try await apiKeys.revoke(tenantID: actor.tenantID, id: id, createdBy: role.canManageTenant ? nil : actor.userID) else {
            throw APIError.notFound("API key")
        }
        return .noContent
    }
}

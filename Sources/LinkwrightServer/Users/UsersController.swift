import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

struct CreateUserRequest: Decodable {
    let email: String
    let password: String
    let role: String
}

struct ChangeRoleRequest: Decodable {
    let role: String
}

/// Team management, for owners and admins. Only owners may create owners or change an owner.
struct UsersController: Sendable {
    let accounts: AccountRepository
    let refreshTokens: RefreshTokenRepository
    let hashing: PasswordHashing

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("users", use: create)
        group.get("users", use: list)
        group.patch("users/{id}", use: changeRole)
        group.delete("users/{id}", use: delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<UserBody> {
        let (actor, _) = try context.manager
        let body = try await request.decodeJSON(as: CreateUserRequest.self, context: context)
        guard let email = EmailAddress(body.email) else { throw APIError.validation("email", "is not a valid email address") }
        if let problem = PasswordPolicy.problem(with: body.password) { throw APIError.validation("password", problem) }
        guard let role = TenantRole(rawValue: body.role), role != .owner else {
            throw APIError.validation("role", "must be admin or member")
        }
        let hash = try await hashing.hash(body.password)
        let user = try await accounts.createUser(tenantID: actor.tenantID, email: email, passwordHash: hash, role: role)
        context.state.describeForAudit(action: "user.create", targetID: user.id.uuidString.lowercased())
        return JSONResponse(status: .created, body: UserBody(user))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PageBody<UserBody> {
        let (actor, _) = try context.manager
        let page = try PageQuery(request)
        let result = try await accounts.listUsers(tenantID: actor.tenantID, limit: page.limit, after: page.cursor)
        return PageBody(items: result.items.map(UserBody.init), nextCursor: result.nextCursor?.encoded)
    }

    @Sendable func changeRole(_ request: Request, context: AppRequestContext) async throws -> UserBody {
        let (actor, actorRole) = try context.manager
        let id = try context.parameters.uuid()
        let body = try await request.decodeJSON(as: ChangeRoleRequest.self, context: context)
        guard let role = TenantRole(rawValue: body.role) else { throw APIError.validation("role", "must be owner, admin or member") }
        context.state.describeForAudit(action: "user.change_role")
        guard let target = try await accounts.user(tenantID: actor.tenantID, id: id) else { throw APIError.notFound("user") }
        if role == .owner || target.role == .owner, actorRole != .owner {
            throw APIError.forbidden("only owners may grant or take away the owner role")
        }
        return UserBody(try await accounts.changeRole(tenantID: actor.tenantID, userID: id, to: role))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let (actor, actorRole) = try context.manager
        let id = try context.parameters.uuid()
        context.state.describeForAudit(action: "user.delete")
        guard let target = try await accounts.user(tenantID: actor.tenantID, id: id) else { throw APIError.notFound("user") }
        if target.role == .owner, actorRole != .owner { throw APIError.forbidden("only owners may remove an owner") }
        try await accounts.deleteUser(tenantID: actor.tenantID, userID: id)
        try await refreshTokens.revokeAll(subjectID: id)
        return .noContent
    }
}

import Foundation
import LinkwrightCore
import LinkwrightStore

/// A caller acting inside one tenant.
struct TenantActor: Sendable {
    let tenantID: UUID
    /// The person acting: the user, or the user who created the API key.
    let userID: UUID
    let principal: Principal
}

extension AppRequestContext {
    /// The tenant the caller acts in. Operators have none: tenant routes are not theirs.
    func tenantActor() throws -> TenantActor {
        switch state.principal {
        case .user(let tenantID, let userID, _)?:
            return TenantActor(tenantID: tenantID, userID: userID, principal: state.principal!)
        case .apiKey(let tenantID, _, _, let createdBy)?:
            return TenantActor(tenantID: tenantID, userID: createdBy, principal: state.principal!)
        case .operator?:
            throw APIError.forbidden("operators act on tenants through /api/v1/admin")
        case nil:
            throw APIError.unauthorized()
        }
    }

    /// Owners and admins, or an API key with the admin scope. A user's role is read from the
    /// database rather than the token, so a demotion takes effect on the next request, not when
    /// the access token expires.
    func requireManager(accounts: AccountRepository) async throws -> (TenantActor, TenantRole) {
        let actor = try tenantActor()
        switch actor.principal {
        case .apiKey(_, _, let scopes, _):
            guard scopes.contains(.admin) else { throw APIError.forbidden("this needs an API key with the admin scope") }
            // A key is never more powerful than the person who made it is now.
            guard let creator = try await accounts.user(tenantID: actor.tenantID, id: actor.userID), creator.role.canManageTenant else {
                throw APIError.forbidden("the user who created this API key can no longer manage the tenant")
            }
            return (actor, creator.role)
        default:
            guard let user = try await accounts.user(tenantID: actor.tenantID, id: actor.userID) else {
                throw APIError.unauthorized("this user no longer exists")
            }
            guard user.role.canManageTenant else { throw APIError.forbidden("only owners and admins may do this") }
            return (actor, user.role)
        }
    }

    func requireOperator() throws -> UUID {
        guard let principal = state.principal else { throw APIError.unauthorized() }
        guard case .operator(let id) = principal else { throw APIError.forbidden("operators only") }
        return id
    }
}

import Foundation
import Hummingbird
import LinkwrightCore
import LinkwrightStore

/// A caller acting inside one tenant.
struct TenantActor: Sendable {
    let tenantID: UUID
    /// The person acting: the user, or the user who created the API key.
    let userID: UUID
    let principal: Principal
}

/// Authorization is decided by the route group a route is added to, never remembered per
/// handler: `buildRouter` puts tenant routes behind `TenantAccessMiddleware`, owner/admin routes
/// behind `ManagerAccessMiddleware` as well, and the whole `admin` group behind
/// `OperatorAccessMiddleware`. Each resolves its caller once and leaves it in the request state;
/// handlers read it through the accessors below, which refuse when their group's middleware did
/// not run, so a route added to the wrong group fails closed.
struct TenantAccessMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let actor: TenantActor
        switch context.state.principal {
        case .user(let tenantID, let userID, _)?:
            actor = TenantActor(tenantID: tenantID, userID: userID, principal: context.state.principal!)
        case .apiKey(let tenantID, _, _, let createdBy)?:
            actor = TenantActor(tenantID: tenantID, userID: createdBy, principal: context.state.principal!)
        case .operator?:
            throw APIError.forbidden("operators act on tenants through /api/v1/admin")
        case nil:
            throw APIError.unauthorized()
        }
        context.state.access = .tenant(actor, role: nil)
        return try await next(request, context)
    }
}

/// Owners and admins, or an API key with the admin scope. Runs after `TenantAccessMiddleware`.
struct ManagerAccessMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountRepository

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let actor = try context.tenant
        context.state.access = .tenant(actor, role: try await Self.role(of: actor, accounts: accounts))
        return try await next(request, context)
    }

    /// The role the actor manages with, or 403. A user's role is read from the database rather
    /// than the token, so a demotion takes effect on the next request, not when the access token
    /// expires; a key is never more powerful than the person who made it is now.
    static func role(of actor: TenantActor, accounts: AccountRepository) async throws -> TenantRole {
        switch actor.principal {
        case .apiKey(_, _, let scopes, _):
            guard scopes.contains(.admin) else { throw APIError.forbidden("this needs an API key with the admin scope") }
            guard let creator = try await accounts.user(tenantID: actor.tenantID, id: actor.userID), creator.role.canManageTenant else {
                throw APIError.forbidden("the user who created this API key can no longer manage the tenant")
            }
            return creator.role
        default:
            guard let user = try await accounts.user(tenantID: actor.tenantID, id: actor.userID) else {
                throw APIError.unauthorized("this user no longer exists")
            }
            guard user.role.canManageTenant else { throw APIError.forbidden("only owners and admins may do this") }
            return user.role
        }
    }
}

/// Operators only: guards the whole `/api/v1/admin` group.
struct OperatorAccessMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let principal = context.state.principal else { throw APIError.unauthorized() }
        guard case .operator(let id) = principal else { throw APIError.forbidden("operators only") }
        context.state.access = .operator(id)
        return try await next(request, context)
    }
}

/// What the route group's access middleware established about the caller.
enum Access: Sendable {
    case tenant(TenantActor, role: TenantRole?)
    case `operator`(UUID)
}

extension AppRequestContext {
    /// The tenant the caller acts in, resolved by `TenantAccessMiddleware`.
    var tenant: TenantActor {
        get throws {
            guard case .tenant(let actor, _) = state.access else { throw Self.notInGroup }
            return actor
        }
    }

    /// The managing caller and their role, resolved by `ManagerAccessMiddleware`.
    var manager: (actor: TenantActor, role: TenantRole) {
        get throws {
            guard case .tenant(let actor, let role?) = state.access else { throw Self.notInGroup }
            return (actor, role)
        }
    }

    /// The operator, resolved by `OperatorAccessMiddleware`.
    var operatorID: UUID {
        get throws {
            guard case .operator(let id) = state.access else { throw Self.notInGroup }
            return id
        }
    }

    /// A handler registered outside the group its accessor belongs to: refuse rather than guess.
    private static var notInGroup: APIError { APIError.forbidden("this route is not open to this caller") }
}

import Foundation
import LinkwrightCore
import NIOConcurrencyHelpers

/// Who is calling.
public enum Principal: Sendable, Equatable {
    case user(tenantID: UUID, userID: UUID, role: TenantRole)
    case apiKey(tenantID: UUID, keyID: UUID, scopes: Set<APIKeyScope>, createdBy: UUID)
    case `operator`(id: UUID)

    public var tenantID: UUID? {
        switch self {
        case .user(let tenantID, _, _), .apiKey(let tenantID, _, _, _): tenantID
        case .operator: nil
        }
    }
}

/// Per-request facts that inner layers learn and outer layers need after the response (the
/// audit and metrics middleware). The request context is a value copied into each layer, so
/// these live in a shared box, the same way Hummingbird keeps the matched endpoint path.
public final class RequestState: Sendable {
    struct Values {
        var principal: Principal?
        var access: Access?
        var auditAction: String?
        var auditTargetID: String?
        var auditTenantID: UUID?
        var auditActor: Principal?
    }

    private let box = NIOLockedValueBox(Values())

    public var principal: Principal? {
        get { box.withLockedValue { $0.principal } }
        set { box.withLockedValue { $0.principal = newValue } }
    }

    /// Set by the route group's access middleware (see `Authorization.swift`).
    var access: Access? {
        get { box.withLockedValue { $0.access } }
        set { box.withLockedValue { $0.access = newValue } }
    }

    /// Set by handlers whose audit entry should say more than the route, e.g. the id of what a
    /// POST created or the tenant a sign-up made.
    public func describeForAudit(action: String? = nil, targetID: String? = nil, tenantID: UUID? = nil, actor: Principal? = nil) {
        box.withLockedValue {
            if let action { $0.auditAction = action }
            if let targetID { $0.auditTargetID = targetID }
            if let tenantID { $0.auditTenantID = tenantID }
            if let actor { $0.auditActor = actor }
        }
    }

    var values: Values { box.withLockedValue { $0 } }
}

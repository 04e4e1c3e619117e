import Foundation
import LinkwrightCore
import Hummingbird
import LinkwrightStore

struct SignupRequest: Decodable {
    let email: String
    let password: String
    let tenantName: String
    /// The browser app asks for the refresh token as an HttpOnly cookie instead of in the body.
    let useCookie: Bool?
}

struct LoginRequest: Decodable {
    let email: String
    let password: String
    let useCookie: Bool?
}

struct RefreshRequest: Decodable {
    /// Absent when the browser sends its cookie instead.
    let refreshToken: String?
    let useCookie: Bool?
}

struct TenantBody: Encodable, Sendable {
    let id: String
    let name: String
    let slug: String
    init(_ t: TenantRecord) {
        id = t.id.lowercased
        name = t.name
        slug = t.slug
    }
}

struct UserBody: ResponseEncodable, Sendable {
    let id: String
    let email: String
    let role: String
    let createdAt: Date?

    init(_ u: UserRecord) {
        id = u.id.lowercased
        email = u.email
        role = u.role.rawValue
        createdAt = u.createdAt
    }
    init(_ o: OperatorRecord) {
        id = o.id.lowercased
        email = o.email
        role = "operator"
        createdAt = o.createdAt
    }
}

/// What sign-up, login and refresh return.
struct TokenBody: ResponseEncodable, Sendable {
    var tenant: TenantBody?
    let user: UserBody
    let accessToken: String
    /// Omitted when the refresh token went into the cookie.
    var refreshToken: String?
    let tokenType = "Bearer"
    let expiresIn: Int
}

struct MeBody: ResponseEncodable, Sendable {
    let user: UserBody
    let tenant: TenantBody?
    let role: String
    let apiKey: APIKeyRef?
    let plan: PlanBody?

    struct APIKeyRef: Encodable, Sendable {
        let id: String
        let scopes: [String]
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(user, forKey: .user)
        try c.encode(tenant, forKey: .tenant)
        try c.encode(role, forKey: .role)
        try c.encodeIfPresent(apiKey, forKey: .apiKey)
        try c.encodeIfPresent(plan, forKey: .plan)
    }

    enum CodingKeys: String, CodingKey { case user, tenant, role, apiKey, plan }
}

/// The tenant's plan, its limits and what is used of them.
struct PlanBody: Encodable, Sendable {
    struct Limits: Encodable, Sendable {
        let activeCampaigns: Int
        let placementsPerMonth: Int
        let concurrentTasks: Int
        let apiRequestsPerMinute: Int
    }

    struct Usage: Encodable, Sendable {
        let activeCampaigns: Int
        let placementsThisMonth: Int
    }

    let name: String
    let limits: Limits
    let usage: Usage

    init(_ u: PlanUsage) {
        name = u.limits.name
        limits = Limits(
            activeCampaigns: u.limits.activeCampaigns, placementsPerMonth: u.limits.placementsPerMonth,
            concurrentTasks: u.limits.concurrentTasks, apiRequestsPerMinute: u.limits.apiRequestsPerMinute)
        usage = Usage(activeCampaigns: u.activeCampaigns, placementsThisMonth: u.placementsThisMonth)
    }
}

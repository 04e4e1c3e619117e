import Foundation
import HTTPTypes
import Hummingbird
import LinkwrightCoordination

/// Limits how fast one caller may call, by GCRA through the shared limiter (Redis when
/// configured, so every API process enforces one combined limit).
///
/// Every limited response, allowed or not, says where the caller stands in the IETF draft's
/// fields (draft-ietf-httpapi-ratelimit-headers-10): `RateLimit-Policy: "free";q=60;w=60` and
/// `RateLimit: "free";r=41;t=19`. A refused request gets 429 with `Retry-After` and changes nothing.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// Who is counted.
    enum Scope: Sendable {
        /// Per API key or user, at the tenant plan's requests per minute; behind authentication.
        case plan(PlanAllowances)
        /// Per client address, for the endpoints anyone may call (sign-up, login, refresh).
        case clientAddress(requestsPerMinute: Int)
    }

    /// Operators belong to no plan; generous, but a runaway script still meets a limit.
    static let operatorRequestsPerMinute = 3000

    let scope: Scope
    let limiter: any RateLimiter
    let metrics: AppMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let subject = try await subject(context) else { return try await next(request, context) }
        let limit = RateLimit(limit: subject.perMinute, period: .seconds(60))
        let decision = await limiter.decide(key: subject.key, limit: limit)
        metrics.recordRateLimit(scope: subject.scopeLabel, allowed: decision.allowed)
        let fields = Self.fields(policy: subject.policy, limit: limit, decision: decision)
        guard decision.allowed else {
            var error = APIError.rateLimited(
                retryAfter: decision.retryAfter,
                detail: "more than \(subject.perMinute) requests a minute \(subject.who); retry after \(max(1, decision.retryAfter)) s")
            error.headers.append(contentsOf: fields)
            throw error
        }
        do {
            var response = try await next(request, context)
            response.headers.append(contentsOf: fields)
            return response
        } catch var error as APIError {
            error.headers.append(contentsOf: fields)
            throw error
        }
    }

    struct Subject {
        let key: String
        let perMinute: Int
        let policy: String
        let who: String
        let scopeLabel: String
    }

    func subject(_ context: Context) async throws -> Subject? {
        switch scope {
        case .clientAddress(let perMinute):
            let address = context.clientAddress ?? "unknown"
            return Subject(key: "addr:\(address)", perMinute: perMinute, policy: "address", who: "from this address", scopeLabel: "address")
        case .plan(let allowances):
            switch context.state.principal {
            case .none:
                return nil
            case .operator(let id):
                return Subject(
                    key: "operator:\(id.lowercased)", perMinute: Self.operatorRequestsPerMinute, policy: "operator",
                    who: "for an operator", scopeLabel: "operator")
            case .user(let tenantID, let userID, _):
                guard let allowance = try await allowances.allowance(for: tenantID) else { throw APIError.unauthorized() }
                return Subject(
                    key: "user:\(userID.lowercased)", perMinute: allowance.requestsPerMinute, policy: allowance.plan,
                    who: "for a user on the \(allowance.plan) plan", scopeLabel: "plan")
            case .apiKey(let tenantID, let keyID, _, _):
                guard let allowance = try await allowances.allowance(for: tenantID) else { throw APIError.unauthorized() }
                return Subject(
                    key: "key:\(keyID.lowercased)", perMinute: allowance.requestsPerMinute, policy: allowance.plan,
                    who: "for an API key on the \(allowance.plan) plan", scopeLabel: "plan")
            }
        }
    }

    static let policyField = HTTPField.Name("RateLimit-Policy")!
    static let stateField = HTTPField.Name("RateLimit")!

    static func fields(policy: String, limit: RateLimit, decision: RateDecision) -> HTTPFields {
        var fields = HTTPFields()
        fields[policyField] = "\"\(policy)\";q=\(limit.limit);w=\(limit.period.components.seconds)"
        fields[stateField] = "\"\(policy)\";r=\(decision.remaining);t=\(decision.reset)"
        return fields
    }
}

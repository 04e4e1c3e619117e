import Foundation
import LinkwrightStore
import NIOConcurrencyHelpers

/// Each tenant's API requests per minute, from its plan, remembered for a short while: the
/// limit is checked on every request and a plan changes rarely, so one small query per tenant
/// per `ttl` instead of one per request. A plan change made through this process applies at
/// once (`forget`); other API processes pick it up within `ttl`.
final class PlanAllowances: Sendable {
    struct Allowance: Sendable, Equatable {
        let plan: String
        let requestsPerMinute: Int
    }

    let accounts: AccountRepository
    let ttl: Duration
    private let cache = NIOLockedValueBox<[UUID: (allowance: Allowance, until: ContinuousClock.Instant)]>([:])

    init(accounts: AccountRepository, ttl: Duration = .seconds(30)) {
        self.accounts = accounts
        self.ttl = ttl
    }

    /// nil when the tenant no longer exists.
    func allowance(for tenantID: UUID) async throws -> Allowance? {
        let now = ContinuousClock.now
        if let hit = cache.withLockedValue({ $0[tenantID] }), hit.until > now { return hit.allowance }
        guard let loaded = try await accounts.apiAllowance(tenantID: tenantID) else { return nil }
        let allowance = Allowance(plan: loaded.plan, requestsPerMinute: loaded.requestsPerMinute)
        cache.withLockedValue { cache in
            if cache.count > 50_000 { cache = cache.filter { $0.value.until > now } }
            cache[tenantID] = (allowance, now + ttl)
        }
        return allowance
    }

    func forget(_ tenantID: UUID) {
        cache.withLockedValue { _ = $0.removeValue(forKey: tenantID) }
    }
}

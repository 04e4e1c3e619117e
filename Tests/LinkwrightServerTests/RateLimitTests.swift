import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightStore
import Testing

/// The API's per-caller limits, in one process with the in-process limiter (the Redis-backed
/// one is the same middleware over a shared limiter: see `SharedRateLimitTests`).
@Suite struct RateLimitTests {
    static let policy = HTTPField.Name("RateLimit-Policy")!
    static let state = HTTPField.Name("RateLimit")!

    func apiKey(_ api: API, _ owner: Session, name: String = "script") async throws -> String {
        try #require(
            try await api.call(.post, "/api/v1/api-keys", json: ["name": name, "scopes": ["read", "write"]], token: owner.accessToken).string("key"))
    }

    /// Many requests at once; the statuses in the order they finished, and how long it took.
    func burst(_ count: Int, _ request: @escaping @Sendable (Int) async throws -> Reply) async throws -> (replies: [Reply], seconds: Double) {
        let start = ContinuousClock.now
        let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
            for i in 0..<count { group.addTask { try await request(i) } }
            return try await group.reduce(into: [Reply]()) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - start
        return (replies, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test func aKeyOverItsPlansMinuteGets429WithRetryAfterAndChangesNothing() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let key = try await apiKey(api, owner)
            let first = try await api.call(.get, "/api/v1/campaigns", token: key)
            #expect(first.status == .ok)
            #expect(first.headers[Self.policy] == #""free";q=60;w=60"#)
            #expect(first.headers[Self.state] == #""free";r=59;t=1"#)

            // Most of the minute spent on cheap reads, then a burst of writes past what is left: few
            // writes are admitted, so a loaded machine cannot stretch the burst past the client's
            // timeout (90 concurrent creations, each locking the tenant, once did).
            let started = ContinuousClock.now
            let (reads, _) = try await burst(55) { _ in try await api.call(.get, "/api/v1/campaigns?limit=1", token: key) }
            #expect(reads.allSatisfy { $0.status == .ok }, "\(Set(reads.map(\.status.code)))")
            let (replies, _) = try await burst(35) { i in
                try await api.call(.post, "/api/v1/campaigns", json: CampaignTests.valid.merging(["name": "burst \(i)"]) { $1 }, token: key)
            }
            let seconds = (ContinuousClock.now - started).inSeconds
            let created = replies.filter { $0.status == .created }.count
            let limited = replies.filter { $0.status == .tooManyRequests }
            #expect(created + limited.count == 35, "nothing but 201 or 429: \(Set(replies.map(\.status.code)))")
            // 4 left after the first request and the reads, plus one more for every second it took.
            #expect(created >= 4 && created <= 4 + Int(seconds.rounded(.up)) + 1, "\(created) created in \(seconds) s")
            let refused = try #require(limited.first)
            #expect(refused.string("error_code") == "RATE_LIMITED")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(refused.headers[Self.state]?.hasPrefix(#""free";r=0;t="#) == true)

            // A refused request wrote nothing: exactly the created campaigns exist.
            let owners = try await api.call(.get, "/api/v1/campaigns?limit=100", token: owner.accessToken)
            #expect(owners.items.count == created)
        }
    }

    /// Spends the key's allowance: bursts of 20 at once until one is refused (sequential calls on
    /// a slow machine could arrive no faster than the allowance refills).
    func spend(_ api: API, key: String) async throws -> Bool {
        for _ in 0..<20 {
            let (replies, _) = try await burst(20) { _ in try await api.call(.get, "/api/v1/queue", token: key) }
            if replies.contains(where: { $0.status == .tooManyRequests }) { return true }
        }
        return false
    }

    @Test func eachKeyAndEachUserHasItsOwnAllowance() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let spent = try await apiKey(api, owner, name: "spent")
            let fresh = try await apiKey(api, owner, name: "fresh")
            #expect(try await spend(api, key: spent))

            let other = try await api.call(.get, "/api/v1/queue", token: fresh)
            #expect(other.status == .ok && other.headers[Self.state]?.hasPrefix(#""free";r=59;"#) == true)
            #expect(try await api.call(.get, "/api/v1/me", token: owner.accessToken).status == .ok)
        }
    }

    @Test func aPlanChangeByAnOperatorAppliesAtOnce() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            let key = try await apiKey(api, owner)
            #expect(try await api.call(.get, "/api/v1/queue", token: key).headers[Self.policy] == #""free";q=60;w=60"#)
            let ops = try await AdminQueueTests().operatorToken(api, database)
            let changed = try await api.call(.patch, "/api/v1/admin/tenants/\(owner.tenantID)", json: ["plan": "pro"], token: ops)
            #expect(changed.status == .ok)
            #expect(try await api.call(.get, "/api/v1/queue", token: key).headers[Self.policy] == #""pro";q=600;w=60"#)
            #expect(changed.headers[Self.policy] == #""operator";q=3000;w=60"#, "operators meet a limit too")
        }
    }

    @Test func signupAndLoginAreLimitedPerAddressBeforeAnyPasswordWork() async throws {
        // Three a minute: one comes back every 20 s, longer than this test takes even on a
        // loaded machine where each password check takes seconds.
        try await TestApp.run(authRequestsPerMinute: 3) { api, database in
            let owner = try await api.signup()
            for _ in 0..<2 {
                let wrong = try await api.call(.post, "/api/v1/auth/login", json: ["email": owner.email, "password": "not the password at all"])
                #expect(wrong.status == .unauthorized)
                #expect(wrong.headers[Self.policy] == #""address";q=3;w=60"#)
            }
            let login = try await api.call(.post, "/api/v1/auth/login", json: ["email": owner.email, "password": owner.password])
            let refusedAt = ContinuousClock.now
            #expect(login.status == .tooManyRequests)
            let retryAfter = Int(login.headers[.retryAfter] ?? "") ?? 0
            #expect(retryAfter >= 1)

            // Sent before the allowance comes back, the sign-up is refused too. (On a machine so
            // loaded that the logins above took most of the window, the allowance may be back by
            // now: then it is rightly accepted, and this part proves nothing either way.)
            let email = "late-\(UUID().uuidString.prefix(8).lowercased())@example.test"
            let signup = try await api.call(
                .post, "/api/v1/auth/signup", json: ["email": email, "password": "correct horse battery", "tenant_name": "Late"])
            if ContinuousClock.now - refusedAt < .seconds(retryAfter - 1) {
                #expect(signup.status == .tooManyRequests)
                #expect(
                    try await AccountRepository(database: database).loginSubject(email: EmailAddress(email)!) == nil,
                    "a refused sign-up creates nothing")
            }
            // Signed-in calls are counted per user, not per address.
            #expect(try await api.call(.get, "/api/v1/me", token: owner.accessToken).status == .ok)
        }
    }
}

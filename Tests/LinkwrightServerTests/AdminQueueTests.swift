import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightServer
import LinkwrightStore
import Testing

@Suite struct AdminQueueTests {
    func operatorToken(_ api: API, _ database: Database) async throws -> String {
        _ = try await AccountRepository(database: database).createOperator(
            email: EmailAddress("ops@linkwright.test")!, passwordHash: PasswordHasher().hash("operator passphrase"))
        return try #require(
            try await api.call(.post, "/api/v1/auth/login", json: ["email": "ops@linkwright.test", "password": "operator passphrase"]).string(
                "access_token"))
    }

    @Test func operatorsSeeEveryLaneAndTheQueueGaugesCarryNoTenant() async throws {
        try await TestApp.run { api, database in
            let ops = try await operatorToken(api, database)
            let owner = try await api.signup()
            let id = try await CampaignTaskTests().startedCampaign(api, owner)
            let scheduled = try await api.call(.get, "/api/v1/campaigns/\(id)/tasks?limit=200", token: owner.accessToken).items.count

            let overview = try await api.call(.get, "/api/v1/admin/queue", token: ops)
            #expect(overview.status == .ok)
            let lanes = try #require(overview["lanes"] as? [[String: Any]])
            #expect(Set(lanes.compactMap { $0["lane"] as? String }) == ["high", "normal", "bulk", "verification"])
            let normal = try #require(lanes.first { $0["lane"] as? String == "normal" })
            #expect(normal["scheduled"] as? Int == scheduled)
            #expect(normal["available"] as? Int == 0)
            #expect(normal["paused"] as? Bool == false)
            #expect(try await api.call(.get, "/api/v1/admin/queue", token: owner.accessToken).status == .forbidden)

            let metrics = try await api.call(.get, "/metrics")
            #expect(metrics.text.contains(#"linkwright_queue_tasks{lane="normal",state="scheduled"} \#(scheduled)"#))
            #expect(metrics.text.contains(#"linkwright_queue_oldest_available_age_seconds{lane="normal"}"#))
            #expect(!metrics.text.contains(owner.tenantID))
        }
    }

    @Test func operatorsPauseAndResumeLanes() async throws {
        try await TestApp.run { api, database in
            let ops = try await operatorToken(api, database)
            let paused = try await api.call(.post, "/api/v1/admin/lanes/bulk/pause", token: ops)
            #expect(paused.status == .ok)
            #expect(paused["paused"] as? Bool == true)
            let lanes = try await api.call(.get, "/api/v1/admin/queue", token: ops)["lanes"] as? [[String: Any]]
            #expect(lanes?.first { $0["lane"] as? String == "bulk" }?["paused"] as? Bool == true)
            #expect(lanes?.first { $0["lane"] as? String == "normal" }?["paused"] as? Bool == false)
            #expect(try await api.call(.post, "/api/v1/admin/lanes/bulk/resume", token: ops)["paused"] as? Bool == false)
            #expect(try await api.call(.post, "/api/v1/admin/lanes/express/pause", token: ops).status == .notFound)
            let owner = try await api.signup()
            #expect(try await api.call(.post, "/api/v1/admin/lanes/bulk/pause", token: owner.accessToken).status == .forbidden)
        }
    }
}

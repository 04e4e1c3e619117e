import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightServer
import LinkwrightStore
import Testing

@Suite struct DeadTaskTests {
    /// One task of the tenant, failed on its only attempt.
    func deadTask(_ database: Database, tenant: String) async throws {
        let queue = TaskQueue(database: database)
        let tenantID = UUID(uuidString: tenant)!
        try await queue.enqueue(tenantID: tenantID, [NewTask(lane: .normal, engine: "noop", idempotencyKey: "doomed", maxAttempts: 1)])
        let claimed = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "t", batch: 5, perTenant: 5, lease: .seconds(30))
            .filter { $0.tenantID == tenantID }
        #expect(try await queue.fail(try #require(claimed.first), owner: "t", error: "platform said no")?.state == .dead)
    }

    @Test func tenantsSeeAndRetryOnlyTheirOwnDeadTasks() async throws {
        try await TestApp.run { api, database in
            let alpha = try await api.signup(tenant: "Alpha")
            let beta = try await api.signup(tenant: "Beta")
            try await deadTask(database, tenant: alpha.tenantID)
            let dead = try await api.call(.get, "/api/v1/dead-tasks", token: alpha.accessToken)
            #expect(dead.items.count == 1)
            #expect(dead.items.first?["last_error"] as? String == "platform said no")
            let id = try #require(dead.items.first?["id"] as? Int)

            #expect(try await api.call(.get, "/api/v1/dead-tasks", token: beta.accessToken).items.isEmpty)
            #expect(try await api.call(.post, "/api/v1/dead-tasks/\(id)/retry", token: beta.accessToken).status == .notFound)

            #expect(try await api.call(.post, "/api/v1/dead-tasks/\(id)/retry", token: alpha.accessToken).status == .noContent)
            #expect(try await api.call(.post, "/api/v1/dead-tasks/\(id)/retry", token: alpha.accessToken).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/dead-tasks", token: alpha.accessToken).items.isEmpty)
            let lanes = try await api.call(.get, "/api/v1/queue", token: alpha.accessToken)["lanes"] as? [String: [String: Int]]
            #expect(lanes?["normal"]?["available"] == 1)
        }
    }

    @Test func operatorsSeeEveryTenantsDeadTasksAndRetryThem() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            try await deadTask(database, tenant: owner.tenantID)
            _ = try await AccountRepository(database: database).createOperator(
                email: EmailAddress("ops@linkwright.test")!, passwordHash: PasswordHasher().hash("operator passphrase"))
            let ops = try #require(
                try await api.call(.post, "/api/v1/auth/login", json: ["email": "ops@linkwright.test", "password": "operator passphrase"]).string(
                    "access_token"))
            let dead = try await api.call(.get, "/api/v1/admin/dead-tasks", token: ops)
            #expect(dead.items.first?["tenant_id"] as? String == owner.tenantID)
            let id = try #require(dead.items.first?["id"] as? Int)
            #expect(try await api.call(.get, "/api/v1/admin/dead-tasks", token: owner.accessToken).status == .forbidden)
            #expect(try await api.call(.post, "/api/v1/admin/dead-tasks/\(id)/retry", token: ops).status == .noContent)
            #expect(try await api.call(.post, "/api/v1/admin/dead-tasks/999999/retry", token: ops).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/admin/dead-tasks", token: ops).items.isEmpty)
        }
    }
}

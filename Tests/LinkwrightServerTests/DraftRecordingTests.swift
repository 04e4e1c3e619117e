import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightStore
import LinkwrightTestSupport
import Logging
import PostgresNIO
import Testing
@testable import LinkwrightWorkers

/// Drafts are recorded a batch at a time, one transaction per tenant: these pin down what a
/// batch must still get right, whatever is in it.
@Suite struct DraftRecordingTests {
    static func result(_ slot: String, kind: String = "article", body: String = "<p>Fresh words.</p>") -> String {
        let result = DraftResult(
            slotKey: slot, kind: kind, version: 1, body: body, provider: "template", model: "template-1",
            checks: [DraftCheck("link", passed: true, "one link")], passed: true, flagged: false, similarity: 0,
            minhash: MinHashSignature(text: body + slot).values.map { Int64(bitPattern: $0) }, tokensIn: 0, tokensOut: 0)
        return (try? result.json()) ?? "{}"
    }

    @Test func oneDraftTheDatabaseRefusesDoesNotHoldBackTheOthersOfItsBatchOrOfOtherTenants() async throws {
        try await TestApp.run { api, database in
            var tenants: [(Session, String)] = []
            for name in ["Alpha", "Beta"] {
                let owner = try await api.signup(tenant: name)
                // Room for three tasks of each tenant at once (the free plan runs two).
                _ = try await AccountRepository(database: database).setPlan(tenantID: try #require(UUID(uuidString: owner.tenantID)), plan: "agency")
                var body = CampaignTests.valid
                body["engines"] = ["web2"]
                let campaign = try #require(try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken).string("id"))
                tenants.append((owner, campaign))
            }
            let queue = TaskQueue(database: database)
            for (owner, campaign) in tenants {
                let tasks = (0..<3).map { n in
                    let payload = ContentTaskPayload(
                        campaignID: campaign, slotKey: "\(campaign):slot:\(n)", engine: "web2", anchor: "best running shoes",
                        targetURL: "https://client.example/shoes", keywords: ["running shoes"], topic: "Shoes")
                    // Not tied to the campaign, which is not started: the recorder reads the payload.
                    return NewTask(lane: .normal, engine: "content", payload: payload.json(), idempotencyKey: "\(campaign):\(n)")
                }
                try await queue.enqueue(tenantID: try #require(UUID(uuidString: owner.tenantID)), tasks)
            }
            let claimed = try await queue.claim(lane: .normal, engines: ["content"], owner: "w", batch: 10, perTenant: 10, lease: .seconds(60)).tasks
            #expect(claimed.count == 6)

            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let completions = Completions(
                queue: queue, verification: VerificationRecorder(database: database), drafts: DraftRecorder(database: database),
                publishing: PublishRecorder(database: database), prospecting: ProspectRecorder(database: database), owner: "w",
                metrics: nil, events: nil, logger: logger)
            // Alpha's second draft is of a kind the drafts table refuses.
            let refused = try #require(
                claimed.first { $0.tenantID.uuidString.lowercased() == tenants[0].0.tenantID.lowercased() && $0.payload.contains(":slot:1") })
            for task in claimed {
                let slot = try #require(try? JSONDecoder().decode(ContentTaskPayload.self, from: Data(task.payload.utf8))).slotKey
                await completions.add(task, result: Self.result(slot, kind: task.id == refused.id ? "sonnet" : "article"), duration: .zero)
            }
            await completions.finish()
            await completions.run()

            for (index, (owner, campaign)) in tenants.enumerated() {
                let drafts = try await api.call(.get, "/api/v1/campaigns/\(campaign)/drafts", token: owner.accessToken).items
                #expect(drafts.count == (index == 0 ? 2 : 3), "\(owner.tenantID)")
                #expect(drafts.allSatisfy { $0["state"] as? String == "ready" })
            }
            // The refused one is not completed: its lease runs out and it runs again, nothing lost.
            let refusedState = try await database.withSystem { connection in
                try await connection.query("SELECT state FROM tasks WHERE id = \(refused.id)", logger: TestDatabase.logger)
                    .decode(String.self).first { _ in true }
            }
            #expect(refusedState == "running")

            // Each recorded draft's band keys are indexed; deleting a campaign takes its drafts'
            // keys with them and leaves the other tenant's alone.
            func bands(_ session: Session) async throws -> Int {
                try await database.withSystem { connection in
                    try await connection.query(
                        "SELECT count(*)::int FROM draft_bands WHERE tenant_id = \(try #require(UUID(uuidString: session.tenantID)))",
                        logger: TestDatabase.logger
                    ).decode(Int.self).first { _ in true } ?? -1
                }
            }
            #expect(try await bands(tenants[1].0) == 3 * MinHashSignature.bands)
            let deleted = try await api.call(.delete, "/api/v1/campaigns/\(tenants[1].1)", token: tenants[1].0.accessToken)
            #expect(deleted.status == .noContent)
            #expect(try await bands(tenants[1].0) == 0)
            #expect(try await bands(tenants[0].0) == 2 * MinHashSignature.bands)
        }
    }
}

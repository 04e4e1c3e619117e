import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightStore
import LinkwrightTestSupport
import Testing

@Suite struct ReviewTests {
    /// An agency tenant with `count` started campaigns, each with its one due slot's draft written.
    static func drafts(_ api: API, _ database: Database, count: Int) async throws -> (Session, [(campaign: String, draft: String)]) {
        let owner = try await api.signup()
        _ = try await AccountRepository(database: database).setPlan(tenantID: try #require(UUID(uuidString: owner.tenantID)), plan: "agency")
        var made: [(String, String)] = []
        for n in 0..<count {
            let campaign = try await DraftTests.campaign(api, owner, name: "Campaign \(n)")
            let draft = try #require(try await DraftTests.drafts(api, owner, campaign: campaign).first?["id"] as? String)
            made.append((campaign, draft))
        }
        return (owner, made)
    }

    static func item(_ batch: Reply, draft: String) throws -> [String: Any] {
        try #require((batch["items"] as? [[String: Any]])?.first { $0["draft_id"] as? String == draft })
    }

    @Test func aBatchIsDecidedItemByItemAndOnlyApprovalLeadsToPublishing() async throws {
        try await TestApp.run(workers: DraftTests.workers) { api, database in
            let (owner, made) = try await Self.drafts(api, database, count: 3)
            let token = owner.accessToken
            let created = try await api.call(.post, "/api/v1/batches", json: ["draft_ids": made.map(\.draft)], token: token)
            #expect(created.status == .created)
            #expect(created["pending"] as? Int == 3 && created["complete"] as? Bool == false)
            let batch = try #require(created.string("id"))
            let again = try await api.call(.post, "/api/v1/batches", json: ["draft_ids": [made[0].draft]], token: token)
            #expect(again.status == .unprocessableContent && again.string("field") == "draft_ids", "a draft waits in one batch at a time")

            // Approve: the draft is approved and its slot's publishing task exists, keyed by the slot.
            let approveItem = try #require(try Self.item(created, draft: made[0].draft)["id"] as? String)
            let approved = try await api.call(
                .post, "/api/v1/batches/\(batch)/items/\(approveItem)/review", json: ["decision": "approve"], token: token)
            #expect(approved["approved"] as? Int == 1)
            #expect(try await api.call(.get, "/api/v1/drafts/\(made[0].draft)", token: token).string("state") == "approved")
            // (The slots still to come wait as scheduled content tasks; the publishing task is due now,
            // in whatever state the web 2.0 engine, with no WordPress connected, has left it.)
            let tasks = try await api.call(.get, "/api/v1/campaigns/\(made[0].campaign)/tasks?limit=200", token: token)
            let publishing = tasks.items.filter { $0["engine"] as? String == "web2" }
            #expect(publishing.count == 1)
            #expect((publishing.first?["idempotency_key"] as? String)?.hasSuffix(":content:v1") == false)
            #expect(
                try await api.call(
                    .post, "/api/v1/batches/\(batch)/items/\(approveItem)/review", json: ["decision": "reject", "notes": "x"], token: token
                ).status == .conflict)
            // No publishing task for the drafts not approved.
            for other in made.dropFirst() {
                let otherTasks = try await api.call(.get, "/api/v1/campaigns/\(other.campaign)/tasks?state=available&limit=200", token: token)
                #expect(!otherTasks.items.contains { $0["engine"] as? String == "web2" })
            }

            // Reject needs a reason.
            let rejectItem = try #require(try Self.item(created, draft: made[1].draft)["id"] as? String)
            let bare = try await api.call(.post, "/api/v1/batches/\(batch)/items/\(rejectItem)/review", json: ["decision": "reject"], token: token)
            #expect(bare.string("field") == "notes")
            _ = try await api.call(
                .post, "/api/v1/batches/\(batch)/items/\(rejectItem)/review", json: ["decision": "reject", "notes": "off topic"], token: token)
            let rejected = try await api.call(.get, "/api/v1/drafts/\(made[1].draft)", token: token)
            #expect(rejected.string("state") == "rejected" && rejected.string("reject_reason") == "off topic")

            // Send back: a new version is written with the notes and returns to the batch beside the old one.
            let regenerateItem = try #require(try Self.item(created, draft: made[2].draft)["id"] as? String)
            let sent = try await api.call(
                .post, "/api/v1/batches/\(batch)/items/\(regenerateItem)/review",
                json: ["decision": "needs_regeneration", "notes": "mention the warranty"], token: token)
            #expect(try Self.item(sent, draft: made[2].draft)["decision"] as? String == "needs_regeneration")
            #expect(sent["pending"] as? Int == 1, "an item sent back still counts as pending")
            var returned: [String: Any] = [:]
            for _ in 0..<300 {
                returned = try Self.item(try await api.call(.get, "/api/v1/batches/\(batch)", token: token), draft: made[2].draft)
                if returned["decision"] as? String == "pending" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(returned["decision"] as? String == "pending")
            #expect((returned["snapshot"] as? [String: Any])?["version"] as? Int == 2)
            #expect((returned["previous"] as? [String: Any])?["version"] as? Int == 1)
            let draft = try await api.call(.get, "/api/v1/drafts/\(made[2].draft)", token: token)
            #expect(draft["version"] as? Int == 2 && draft.string("notes") == "mention the warranty")
            #expect((draft["versions"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1])

            let done = try await api.call(
                .post, "/api/v1/batches/\(batch)/items/\(regenerateItem)/review", json: ["decision": "approve"], token: token)
            #expect(done["complete"] as? Bool == true && done["approved"] as? Int == 2 && done["rejected"] as? Int == 1)

            let json = try await api.call(.post, "/api/v1/batches/\(batch)/export?format=json", token: token)
            #expect((json["drafts"] as? [[String: Any]])?.count == 2)
            let csv = try await api.call(.post, "/api/v1/batches/\(batch)/export?format=csv", token: token)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.hasPrefix("draft_id,engine,kind,anchor,version,body\r\n"))
            #expect(csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count >= 3)

            let audit = try await api.call(.get, "/api/v1/audit-log?limit=100", token: token)
            #expect(audit.text.contains("review.approve") && audit.text.contains("review.reject") && audit.text.contains("review.needs_regeneration"))
        }
    }

    @Test func aCampaignsBatchTakesItsReadyDraftsAndAnEmptyOneIsRefused() async throws {
        try await TestApp.run(workers: DraftTests.workers) { api, database in
            let (owner, made) = try await Self.drafts(api, database, count: 1)
            let batch = try await api.call(.post, "/api/v1/batches", json: ["campaign_id": made[0].campaign], token: owner.accessToken)
            #expect(batch.status == .created)
            #expect((batch["items"] as? [[String: Any]])?.map { $0["draft_id"] as? String } == [made[0].draft])
            let empty = try await api.call(.post, "/api/v1/batches", json: ["campaign_id": made[0].campaign], token: owner.accessToken)
            #expect(empty.status == .unprocessableContent && empty.string("field") == "campaign_id")
            let both = try await api.call(
                .post, "/api/v1/batches", json: ["campaign_id": made[0].campaign, "draft_ids": [made[0].draft]], token: owner.accessToken)
            #expect(both.status == .unprocessableContent)
            let list = try await api.call(.get, "/api/v1/batches", token: owner.accessToken)
            #expect(list.items.count == 1 && list.items[0]["items"] == nil)
        }
    }

    @Test func anotherTenantGets404ForEveryReviewRoute() async throws {
        try await TestApp.run(workers: DraftTests.workers) { api, database in
            let (owner, made) = try await Self.drafts(api, database, count: 1)
            let other = try await api.signup(tenant: "Other")
            let batch = try await api.call(.post, "/api/v1/batches", json: ["draft_ids": [made[0].draft]], token: owner.accessToken)
            let id = try #require(batch.string("id"))
            let item = try #require(try Self.item(batch, draft: made[0].draft)["id"] as? String)
            #expect(try await api.call(.get, "/api/v1/batches/\(id)", token: other.accessToken).status == .notFound)
            #expect(
                try await api.call(.post, "/api/v1/batches/\(id)/items/\(item)/review", json: ["decision": "approve"], token: other.accessToken)
                    .status == .notFound)
            #expect(try await api.call(.post, "/api/v1/batches/\(id)/export", token: other.accessToken).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/batches", token: other.accessToken).items.isEmpty)
            #expect(
                try await api.call(.post, "/api/v1/batches", json: ["campaign_id": made[0].campaign], token: other.accessToken).status == .notFound)
            let stolen = try await api.call(.post, "/api/v1/batches", json: ["draft_ids": [made[0].draft]], token: other.accessToken)
            #expect(stolen.status == .unprocessableContent && stolen.string("field") == "draft_ids")
            #expect(try await api.call(.get, "/api/v1/batches/\(id)", token: owner.accessToken)["pending"] as? Int == 1, "nothing changed")
        }
    }
}

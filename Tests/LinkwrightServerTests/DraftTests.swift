import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import LinkwrightTestSupport
import LinkwrightWorkers
import NIOConcurrencyHelpers
import PostgresNIO
import Testing

/// A provider that writes the same article every time, and remembers what it was asked: drafts
/// from it are near-duplicates of each other by construction.
final class SameTextProvider: ContentProvider {
    let name = "same"
    let prompts = NIOLockedValueBox<[String]>([])

    func generate(_ prompt: ContentPrompt, brief: ContentBrief, timeout: Duration) async throws(ProviderError) -> ProviderReply {
        prompts.withLockedValue { $0.append(prompt.user) }
        let words = String(repeating: "Good shoes make a long run feel short and easy for anyone. ", count: 45)
        let html = "<p>\(words)</p><p>See <a href=\"\(brief.targetURL)\">\(brief.anchor)</a> for more.</p>"
        return ProviderReply(text: html + "<script>alert(1)</script>", tokensIn: 100, tokensOut: 500, model: "same-1")
    }
}

@Suite struct DraftTests {
    static let workers = WorkerConfiguration(concurrency: [.normal: 4], pollInterval: .milliseconds(100))

    static func campaign(_ api: API, _ owner: Session, name: String = "Trail shoes", engines: [String] = ["web2"]) async throws -> String {
        var body = CampaignTests.valid
        body["name"] = name
        body["engines"] = engines
        body["priority"] = "normal"
        // One slot a day: today's falls due at once and the next not before midnight UTC, so a slow
        // test never sees a second draft (at 1,000 a day one fell due every 86.4 s).
        body["daily_limit"] = 1
        let id = try #require(try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken).string("id"))
        #expect(try await api.call(.post, "/api/v1/campaigns/\(id)/start", token: owner.accessToken).status == .ok)
        return id
    }

    static func drafts(_ api: API, _ owner: Session, campaign: String, count: Int = 1) async throws -> [[String: Any]] {
        for _ in 0..<300 {
            let page = try await api.call(.get, "/api/v1/campaigns/\(campaign)/drafts", token: owner.accessToken)
            if page.items.count >= count { return page.items }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no draft was written for \(campaign)")
        return []
    }

    @Test func aStartedCampaignsSlotGetsADraftWrittenOfflineCheckedAndReadyForReview() async throws {
        try await TestApp.run(workers: Self.workers) { api, database in
            let owner = try await api.signup()
            let id = try await Self.campaign(api, owner)
            let draft = try #require(try await Self.drafts(api, owner, campaign: id).first)
            #expect(draft["state"] as? String == "ready")
            #expect(draft["kind"] as? String == "article")
            #expect(draft["provider"] as? String == "template")
            let checks = try #require(draft["checks"] as? [[String: Any]])
            #expect(
                Set(checks.compactMap { $0["name"] as? String }) == [
                    "link", "length", "placeholders", "banned_phrases", "readability", "originality",
                ])
            #expect(draft["passed"] as? Bool == true, "\(checks.filter { $0["passed"] as? Bool == false })")
            let body = try #require(draft["body"] as? String)
            #expect(body.contains("<a href=\"https://client.example/shoes\">"))

            let draftID = try #require(draft["id"] as? String)
            let shown = try await api.call(.get, "/api/v1/drafts/\(draftID)", token: owner.accessToken)
            #expect(shown.status == .ok)
            #expect(shown["versions"] as? [Any] != nil)
            #expect(shown["placement"] is NSNull, "not published: no placement yet")
            // Nothing is published before a person approves: no task for the slot's engine exists.
            let publishing = try await api.call(.get, "/api/v1/campaigns/\(id)/tasks?state=scheduled", token: owner.accessToken)
            #expect(!publishing.items.contains { $0["engine"] as? String == "web2" })
            // Operators see the review backlog (no tenant in the labels).
            let metrics = try await api.call(.get, "/metrics")
            #expect(
                metrics.text.contains(#"linkwright_drafts{state="ready"} 1"#),
                "\(metrics.text.split(separator: "\n").filter { $0.contains("drafts") })")
            // The template writer costs nothing.
            let ledger = try await database.withSystem { connection in
                try await connection.query("SELECT count(*)::int FROM cost_ledger", logger: TestDatabase.logger).decode(Int.self)
                    .first { _ in true } ?? -1
            }
            #expect(ledger == 0)
        }
    }

    @Test func aNearDuplicateIsRewrittenThreeTimesThenFlaggedAndTheUsageChargedOnce() async throws {
        let provider = SameTextProvider()
        let engines = EngineRegistry([ContentEngine(generator: ContentGenerator(providers: [provider]))])
        try await TestApp.run(workers: Self.workers, engines: engines) { api, database in
            let owner = try await api.signup()
            _ = try await AccountRepository(database: database).setPlan(tenantID: try #require(UUID(uuidString: owner.tenantID)), plan: "agency")
            let first = try #require(try await Self.drafts(api, owner, campaign: try await Self.campaign(api, owner, name: "One")).first)
            #expect(first["flagged"] as? Bool == false)
            #expect(!(first["body"] as? String ?? "").contains("script"), "the body is sanitised")
            let second = try #require(try await Self.drafts(api, owner, campaign: try await Self.campaign(api, owner, name: "Two")).first)
            #expect(second["flagged"] as? Bool == true)
            #expect(second["similarity"] as? Double == 1)
            let originality = (second["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "originality" }
            #expect(originality?["passed"] as? Bool == false)
            // One generation for the first draft; for the second, one and three rewrites naming the text to avoid.
            let prompts = provider.prompts.withLockedValue { $0 }
            #expect(prompts.count == 5)
            #expect(prompts.suffix(3).allSatisfy { $0.contains("Do not resemble this earlier text") })
            // Tokens of all four generations, charged once with the task.
            let tokens = try await database.withSystem { connection in
                try await connection.query(
                    "SELECT coalesce(sum(quantity), 0)::int FROM cost_ledger WHERE kind = 'llm_tokens'", logger: TestDatabase.logger
                )
                .decode(Int.self).first { _ in true } ?? -1
            }
            #expect(tokens == 5 * 600)
        }
    }

    @Test func anotherTenantGets404ForEveryDraftRoute() async throws {
        try await TestApp.run(workers: Self.workers) { api, _ in
            let owner = try await api.signup()
            let other = try await api.signup(tenant: "Other")
            let id = try await Self.campaign(api, owner)
            let draftID = try #require(try await Self.drafts(api, owner, campaign: id).first?["id"] as? String)
            #expect(try await api.call(.get, "/api/v1/drafts/\(draftID)", token: other.accessToken).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/campaigns/\(id)/drafts", token: other.accessToken).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/campaigns/\(id)/drafts?state=sent", token: owner.accessToken).string("field") == "state")
        }
    }
}

@Suite struct AutoApproveTests {
    @Test func onlyCampaignsForTheTenantsOwnSitesMaySkipReview() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            var body = CampaignTests.valid
            body["auto_approve"] = true
            let refused = try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken)
            #expect(refused.status == .unprocessableContent && refused.string("field") == "auto_approve", "forums always go to review")
            body["engines"] = ["web2", "social"]
            let made = try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken)
            #expect(made.status == .created && made["auto_approve"] as? Bool == true)
            let id = try #require(made.string("id"))
            let widened = try await api.call(.patch, "/api/v1/campaigns/\(id)", json: ["engines": ["web2", "comments"]], token: owner.accessToken)
            #expect(widened.string("field") == "auto_approve", "adding comments to an auto-approving campaign is refused")
            #expect(try await api.call(.get, "/api/v1/campaigns/\(id)", token: owner.accessToken)["engines"] as? [String] == ["web2", "social"])
        }
    }

    @Test func aDraftThatPassesEveryCheckIsApprovedAndPublishedOnlyWithOwnedConnections() async throws {
        try await TestApp.run(workers: DraftTests.workers) { api, _ in
            let owner = try await api.signup()
            var body = CampaignTests.valid
            body["engines"] = ["web2"]
            body["priority"] = "normal"
            body["daily_limit"] = 1
            body["auto_approve"] = true
            let id = try #require(try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken).string("id"))
            _ = try await api.call(.post, "/api/v1/campaigns/\(id)/start", token: owner.accessToken)
            let draft = try #require(try await DraftTests.drafts(api, owner, campaign: id).first)
            #expect(draft["state"] as? String == "approved")
            // (In any state: with no WordPress connected, the web 2.0 engine is already retrying it.)
            let tasks = try await api.call(.get, "/api/v1/campaigns/\(id)/tasks?limit=200", token: owner.accessToken)
            let publishing = try #require(tasks.items.first { $0["engine"] as? String == "web2" })
            #expect((publishing["payload"] as? [String: Any])?["owned_connections_only"] as? Bool == true)
        }
    }
}

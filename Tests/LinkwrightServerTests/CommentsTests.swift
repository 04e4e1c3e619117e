import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import LinkwrightTestSupport
import LinkwrightWorkers
import PostgresNIO
import Testing

/// A comment campaign on the real WordPress `ops/test` runs: the campaign names the posts it
/// answers, the draft is written to the post it reads, a person approves it, the comments engine
/// posts it through the blog's form with the tenant's commenter identity, the blog holds it, and
/// verification sees it go live once the blog's moderator approves it.
@Suite struct CommentsTests {
    static func engines(_ site: String) -> EngineRegistry {
        let fetcher = Fetcher.exempting(site)
        let robots = RobotsCache(fetcher: fetcher, politeness: nil)
        return EngineRegistry([
            ContentEngine(generator: ContentGenerator(providers: [TemplateWriter()]), reader: PostReader(fetcher: fetcher, robots: robots)),
            CommentsEngine(fetcher: fetcher, robots: robots),
            VerificationEngine(checker: LinkChecker(fetcher: fetcher, robots: robots, parsing: .singleton)),
        ])
    }

    /// Waits up to a minute: a comment may wait out WordPress's 15 s flood limit (other suites
    /// comment on the same blog from the same address). Reads the database, as the API's rate
    /// limit would refuse a poll this long.
    static func waitFor(_ what: String, _ database: Database, _ sql: PostgresQuery) async throws -> String? {
        for _ in 0..<600 {
            let found = try await database.withSystem { connection in
                try await connection.query(sql, logger: TestDatabase.logger).collect().first.map { try $0.decode(String.self) }
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("waited 60 s for \(what)")
        return nil
    }

    @Test func aCommentCampaignAnswersEachPostOnceAndTheHeldCommentGoesLiveWhenTheModeratorApprovesIt() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let first = try await wordpress.newPost("Wet rock and trail shoes")
        let second = try await wordpress.newPost("Mud season")
        try await TestApp.run(workers: PublishingTests.workers, engines: Self.engines(wordpress.url)) { api, database in
            let owner = try await api.signup()
            let name = "Dana \(UUID().uuidString.prefix(6))"
            _ = try await PublishingTests.connect(
                api, owner,
                ["platform": "commenter", "base_url": "https://dana.example/", "username": name, "email": "dana-\(UUID())@example.test"])
            var body = CampaignTests.valid
            body["engines"] = ["comments"]
            body["daily_limit"] = 1
            body["priority"] = "normal"
            // Its own target: approved comments show in the blog's "Recent Comments" on every page.
            let target = "https://client.example/shoes-\(UUID().uuidString.prefix(8).lowercased())"
            body["target_url"] = target
            body["comment_pages"] = [first.url, first.url + "#respond", second.url]
            let created = try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken)
            #expect(created.status == .created, "\(created.text)")
            #expect((created["comment_pages"] as? [String]) == [first.url, second.url], "one entry per post")
            let campaign = try #require(created.string("id"))
            #expect(try await api.call(.post, "/api/v1/campaigns/\(campaign)/start", token: owner.accessToken).status == .ok)

            // A month of daily slots, but only two posts: two comment slots are planned, one per post.
            let planned = try await database.withSystem { connection in
                try await connection.query(
                    "SELECT payload->>'page_url' FROM tasks WHERE campaign_id = \(UUID(uuidString: campaign)!) AND engine = 'content' ORDER BY run_at",
                    logger: TestDatabase.logger
                ).collect().map { try $0.decode(String.self) }
            }
            #expect(planned == [first.url, second.url])

            _ = try await DraftTests.drafts(api, owner, campaign: campaign)
            try await PublishingTests.approve(api, owner, campaign: campaign)
            let placementID = try #require(
                try await Self.waitFor(
                    "the comment's placement", database, "SELECT id::text FROM placements WHERE campaign_id = \(UUID(uuidString: campaign)!)"))
            let placement = try await api.call(.get, "/api/v1/placements/\(placementID)", token: owner.accessToken)
            #expect(placement.string("source_url") == first.url)
            #expect(placement.string("target_url") == target)
            #expect(placement.string("state") == "pending_moderation")
            #expect(placement.string("expected_rel") == "nofollow ugc")
            #expect(placement.string("expected_anchor") == name, "the blog puts the link on the commenter's name")

            // Its first check, at once, finds it held: still pending moderation, not missing.
            let held = try await Self.waitFor(
                "a check of the held comment", database, "SELECT state FROM placements WHERE id = \(UUID(uuidString: placementID)!) AND checks > 0")
            #expect(held == "pending_moderation")

            // The moderator approves; the next check finds the link. The comment's own link is
            // `nofollow ugc`, but the theme's "Latest Comments" block links the newest commenters'
            // names without a rel, so while this comment is among them the page has a followed link.
            let comments = try await wordpress.comments(onPost: first.id)
            #expect(comments.map(\.status) == ["hold"])
            try await wordpress.approve(comment: try #require(comments.first).id)
            #expect(try await api.call(.post, "/api/v1/placements/\(placementID)/verify", token: owner.accessToken).status.code < 300)
            let live = try await Self.waitFor(
                "the approved comment to be verified", database,
                "SELECT state FROM placements WHERE id = \(UUID(uuidString: placementID)!) AND state <> 'pending_moderation'")
            #expect(live == "live_nofollow" || live == "live", "\(live ?? "nil")")
            #expect(try await api.call(.get, "/api/v1/placements/\(placementID)", token: owner.accessToken).string("state") == live)

            // Another tenant sees neither the campaign nor the placement.
            let stranger = try await api.signup()
            #expect(try await api.call(.get, "/api/v1/campaigns/\(campaign)", token: stranger.accessToken).status == .notFound)
            #expect(try await api.call(.get, "/api/v1/placements/\(placementID)", token: stranger.accessToken).status == .notFound)
        }
    }

    @Test func commentPagesMustBeWebAddresses() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            var body = CampaignTests.valid
            body["comment_pages"] = ["https://blog.example/post", "ftp://blog.example/file"]
            let refused = try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("comment_pages"))
            #expect(try await api.call(.get, "/api/v1/campaigns", token: owner.accessToken).items.isEmpty, "nothing was created")
        }
    }
}

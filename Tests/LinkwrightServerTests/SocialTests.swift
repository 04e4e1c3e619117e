import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightEngines
import LinkwrightTestSupport
import LinkwrightWorkers
import PostgresNIO
import Testing

/// A social campaign with `auto_approve` on the tenant's own Mastodon account: the post is
/// written, approved without a person (own account, checks passed), posted through the stand-in
/// instance, and its link verified on the status's public page, `nofollow` as Mastodon marks it.
@Suite struct SocialTests {
    static func engines(_ site: String) -> EngineRegistry {
        let fetcher = Fetcher.exempting(site)
        let robots = RobotsCache(fetcher: fetcher, politeness: nil)
        return EngineRegistry([
            ContentEngine(generator: ContentGenerator(providers: [TemplateWriter()])),
            SocialEngine(fetcher: fetcher),
            VerificationEngine(checker: LinkChecker(fetcher: fetcher, robots: robots, parsing: .singleton, blueskyAPI: site)),
        ])
    }

    @Test func anAutoApprovedPostGoesOutFromTheTenantsOwnAccountAndItsLinkIsVerified() async throws {
        try await TestSocial.run { social in
            try await TestApp.run(workers: PublishingTests.workers, engines: Self.engines(social.url)) { api, database in
                let owner = try await api.signup()
                _ = try await PublishingTests.connect(
                    api, owner,
                    [
                        "platform": "mastodon", "base_url": social.url, "username": "linkwright", "secret": TestSocial.mastodonToken,
                        "owned": true,
                    ])
                var body = CampaignTests.valid
                body["engines"] = ["social"]
                body["daily_limit"] = 1
                body["priority"] = "normal"
                body["auto_approve"] = true
                let campaign = try #require(try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken).string("id"))
                #expect(try await api.call(.post, "/api/v1/campaigns/\(campaign)/start", token: owner.accessToken).status == .ok)
                let state = try await CommentsTests.waitFor(
                    "the post's placement to be verified", database,
                    "SELECT state FROM placements WHERE campaign_id = \(UUID(uuidString: campaign)!) AND checks > 0")
                #expect(state == "live_nofollow")
                #expect(social.statuses.count == 1)
                #expect(social.statuses.first?.text.contains("https://client.example/shoes") == true)
                let placement = try #require(
                    try await api.call(.get, "/api/v1/placements?campaign_id=\(campaign)", token: owner.accessToken).items.first)
                #expect((placement["source_url"] as? String)?.hasPrefix(social.url + "/@linkwright/") == true)
                #expect(placement["expected_rel"] as? String == "nofollow")
                let stranger = try await api.signup(tenant: "Other")
                #expect(
                    try await api.call(.get, "/api/v1/placements/\(placement["id"] as? String ?? "")", token: stranger.accessToken).status
                        == .notFound)
            }
        }
    }

    /// The same from the tenant's own Bluesky account: the placement is the post's bsky.app page,
    /// verified through the AppView's API (the page itself is drawn by JavaScript).
    @Test func anAutoApprovedBlueskyPostIsVerifiedThroughTheAppView() async throws {
        try await TestSocial.run { social in
            try await TestApp.run(workers: PublishingTests.workers, engines: Self.engines(social.url)) { api, database in
                let owner = try await api.signup()
                _ = try await PublishingTests.connect(
                    api, owner,
                    [
                        "platform": "bluesky", "base_url": social.url, "username": TestSocial.blueskyHandle, "secret": TestSocial.blueskyPassword,
                        "owned": true,
                    ])
                var body = CampaignTests.valid
                body["engines"] = ["social"]
                body["daily_limit"] = 1
                body["priority"] = "normal"
                body["auto_approve"] = true
                let campaign = try #require(try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken).string("id"))
                #expect(try await api.call(.post, "/api/v1/campaigns/\(campaign)/start", token: owner.accessToken).status == .ok)
                let state = try await CommentsTests.waitFor(
                    "the post's placement to be verified", database,
                    "SELECT state FROM placements WHERE campaign_id = \(UUID(uuidString: campaign)!) AND checks > 0")
                #expect(state == "live")
                #expect(social.posts.count == 1)
                let placement = try #require(
                    try await api.call(.get, "/api/v1/placements?campaign_id=\(campaign)", token: owner.accessToken).items.first)
                #expect((placement["source_url"] as? String)?.hasPrefix("https://bsky.app/profile/linkwright.test/post/") == true)
            }
        }
    }
}

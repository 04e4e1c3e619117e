import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightEngines
import LinkwrightTestSupport
import LinkwrightWorkers
import PostgresNIO
import Testing

/// A forum campaign on the real django-machina forum `ops/test` runs: the draft a person
/// approves becomes a topic on the connected board, and verification finds its link, followed.
@Suite struct ForumsTests {
    static func engines(_ site: String) -> EngineRegistry {
        let fetcher = Fetcher.exempting(site)
        let robots = RobotsCache(fetcher: fetcher, politeness: nil)
        return EngineRegistry([
            ContentEngine(generator: ContentGenerator(providers: [TemplateWriter()])),
            ForumsEngine(fetcher: fetcher),
            VerificationEngine(checker: LinkChecker(fetcher: fetcher, robots: robots, parsing: .singleton)),
        ])
    }

    @Test func anApprovedForumPostBecomesATopicOnTheBoardAndItsLinkIsVerified() async throws {
        let forum = try #require(TestForum.fromEnvironment(), Comment(rawValue: TestForum.missing))
        try await TestApp.run(
            workers: PublishingTests.workers, engines: Self.engines(forum.boardURL), probe: AccountProbe(fetcher: forum.fetcher)
        ) { api, database in
            let owner = try await api.signup()
            let connection = try await PublishingTests.connect(
                api, owner, ["platform": "forum", "base_url": forum.boardURL, "username": forum.user, "secret": forum.password])
            let tested = try await api.call(.post, "/api/v1/connections/\(connection)/test", token: owner.accessToken)
            #expect(tested["ok"] as? Bool == true, "\(tested.text)")
            let campaign = try await DraftTests.campaign(api, owner, name: "Trail shoes", engines: ["forums"])
            _ = try await DraftTests.drafts(api, owner, campaign: campaign)
            try await PublishingTests.approve(api, owner, campaign: campaign)
            let state = try await CommentsTests.waitFor(
                "the topic's placement to be verified", database,
                "SELECT state FROM placements WHERE campaign_id = \(UUID(uuidString: campaign)!) AND checks > 0")
            #expect(state == "live")
            let placement = try #require(
                try await api.call(.get, "/api/v1/placements?campaign_id=\(campaign)", token: owner.accessToken).items.first)
            #expect((placement["source_url"] as? String)?.hasPrefix(forum.boardURL + "topic/") == true)
            let limits = try await api.call(.get, "/api/v1/connections/\(connection)/limits", token: owner.accessToken)
            let used = (limits["actions"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) {
                $0[$1["action"] as? String ?? ""] = $1["used_this_hour"] as? Int
            }
            #expect(used == ["publish": 1, "profile_update": 1, "reply": 0], "the topic and the signature, each counted")
        }
    }
}

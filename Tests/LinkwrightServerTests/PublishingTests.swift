import Foundation
import HTTPTypes
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightEngines
import LinkwrightStore
import LinkwrightTestSupport
import LinkwrightWorkers
import NIOPosix
import PostgresNIO
import Testing

/// A campaign from start to a live link on the real WordPress `ops/test` runs: drafts written
/// offline, a person approving them in a batch, the web 2.0 engine publishing with the
/// tenant's connected account, verification confirming the link on the public page.
@Suite struct PublishingTests {
    static let workers = WorkerConfiguration(concurrency: [.normal: 4, .verification: 2], pollInterval: .milliseconds(100))

    /// The standard engines, with the guard letting exactly this site's loopback address through.
    static func engines(_ site: String) -> EngineRegistry {
        let fetcher = Fetcher.exempting(site)
        let robots = RobotsCache(fetcher: fetcher, politeness: nil)
        return EngineRegistry([
            ContentEngine(generator: ContentGenerator(providers: [TemplateWriter()])),
            Web2Engine(fetcher: fetcher),
            VerificationEngine(checker: LinkChecker(fetcher: fetcher, robots: robots, parsing: .singleton)),
        ])
    }

    static func connect(_ api: API, _ owner: Session, _ wordpress: TestWordPress, password: String? = nil) async throws -> String {
        try await connect(
            api, owner,
            [
                "platform": "wordpress", "base_url": wordpress.url, "username": wordpress.author,
                "secret": password ?? wordpress.authorPassword, "label": "Our blog", "owned": true,
            ])
    }

    static func connect(_ api: API, _ owner: Session, _ body: [String: Any]) async throws -> String {
        let created = try await api.call(.post, "/api/v1/connections", json: body, token: owner.accessToken)
        #expect(created.status == .created, "\(created.text)")
        return try #require(created.string("id"))
    }

    /// Starts a web 2.0 campaign, waits for its draft and approves it in a batch.
    static func approveOneDraft(_ api: API, _ owner: Session) async throws -> (campaign: String, draft: String) {
        let campaign = try await DraftTests.campaign(api, owner, name: "Trail shoes", engines: ["web2"])
        let draft = try #require(try await DraftTests.drafts(api, owner, campaign: campaign).first?["id"] as? String)
        try await approve(api, owner, campaign: campaign)
        return (campaign, draft)
    }

    /// Puts the campaign's ready drafts in a batch and approves the first.
    static func approve(_ api: API, _ owner: Session, campaign: String) async throws {
        let batch = try await api.call(.post, "/api/v1/batches", json: ["campaign_id": campaign], token: owner.accessToken)
        let batchID = try #require(batch.string("id"))
        let item = try #require((batch["items"] as? [[String: Any]])?.first?["id"] as? String)
        let decided = try await api.call(
            .post, "/api/v1/batches/\(batchID)/items/\(item)/review", json: ["decision": "approve"], token: owner.accessToken)
        #expect(decided.status == .ok, "\(decided.text)")
    }

    static func waitFor<T>(_ what: String, _ probe: () async throws -> T?) async throws -> T? {
        for _ in 0..<300 {
            if let found = try await probe() { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("waited 30 s for \(what)")
        return nil
    }

    @Test func anApprovedArticleIsPublishedWithTheTenantsAccountAndItsLinkVerifiedLive() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        try await TestApp.run(workers: Self.workers, engines: Self.engines(wordpress.url)) { api, _ in
            let owner = try await api.signup()
            _ = try await Self.connect(api, owner, wordpress)
            let (campaign, draftID) = try await Self.approveOneDraft(api, owner)

            let placement = try #require(
                try await Self.waitFor("the placement") {
                    try await api.call(.get, "/api/v1/placements?campaign_id=\(campaign)", token: owner.accessToken).items.first
                })
            let source = try #require(placement["source_url"] as? String)
            #expect(source.hasPrefix(wordpress.url + "/lw-"), "the post WordPress made, at its own URL: \(source)")
            #expect(placement["target_url"] as? String == "https://client.example/shoes")
            // Verification reads the public page and finds the link, followed (WordPress adds no
            // rel to links in a post).
            let placementID = try #require(placement["id"] as? String)
            let live = try await Self.waitFor("the placement to be verified live") {
                let shown = try await api.call(.get, "/api/v1/placements/\(placementID)", token: owner.accessToken)
                return shown.string("state") == "live" ? shown.string("state") : nil
            }
            #expect(live == "live")
            // The slot's journey reads from the draft: published, where, and verified live.
            let draft = try await api.call(.get, "/api/v1/drafts/\(draftID)", token: owner.accessToken)
            #expect(draft.string("state") == "published")
            let link = try #require(draft["placement"] as? [String: Any])
            #expect(link["source_url"] as? String == source)
            #expect(link["state"] as? String == "live")
            #expect(link["id"] as? String == placementID)
            let listed = try await api.call(.get, "/api/v1/campaigns/\(campaign)/drafts", token: owner.accessToken).items
            #expect((listed.first?["placement"] as? [String: Any])?["source_url"] as? String == source)
            // Exactly one post for the slot on the site.
            let page = try await wordpress.fetcher.get(source)
            #expect(String(decoding: page.body, as: UTF8.self).contains(#"<a href="https://client.example/shoes">best running shoes</a>"#))
        }
    }

    @Test func anApprovedArticleBecomesAWikiPageAndItsNofollowLinkIsVerifiedAsExpected() async throws {
        let wiki = try #require(TestMediaWiki.fromEnvironment(), Comment(rawValue: TestMediaWiki.missing))
        try await TestApp.run(workers: Self.workers, engines: Self.engines(wiki.url)) { api, _ in
            let owner = try await api.signup()
            _ = try await Self.connect(
                api, owner,
                [
                    "platform": "mediawiki", "base_url": wiki.url, "username": wiki.botUser, "secret": wiki.botPassword, "label": "Our wiki",
                    "owned": true,
                ])
            let (campaign, draftID) = try await Self.approveOneDraft(api, owner)
            let placement = try #require(
                try await Self.waitFor("the placement") {
                    try await api.call(.get, "/api/v1/placements?campaign_id=\(campaign)", token: owner.accessToken).items.first
                })
            let source = try #require(placement["source_url"] as? String)
            #expect(source.hasPrefix(wiki.url), "the page MediaWiki made, at its own URL: \(source)")
            // MediaWiki marks every external link nofollow: live as expected, not an alarm.
            let placementID = try #require(placement["id"] as? String)
            let state = try await Self.waitFor("the placement to be verified") {
                let shown = try await api.call(.get, "/api/v1/placements/\(placementID)", token: owner.accessToken)
                return shown.string("state").flatMap { $0 == "pending" ? nil : $0 }
            }
            #expect(state == "live_nofollow")
            #expect(try await api.call(.get, "/api/v1/drafts/\(draftID)", token: owner.accessToken).string("state") == "published")
        }
    }

    @Test func aRevokedPasswordMarksTheConnectionFailingWithAReasonAndNothingIsPlaced() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        try await TestApp.run(workers: Self.workers, engines: Self.engines(wordpress.url)) { api, _ in
            let owner = try await api.signup()
            let connection = try await Self.connect(api, owner, wordpress, password: "aaaa bbbb cccc dddd eeee ffff")
            let (campaign, _) = try await Self.approveOneDraft(api, owner)
            let failing = try await Self.waitFor("the connection to be marked failing") {
                let shown = try await api.call(.get, "/api/v1/connections/\(connection)", token: owner.accessToken)
                return shown.string("state") == "failing" ? shown : nil
            }
            let reason = try #require(failing?.string("last_error"))
            #expect(reason.contains("401") && reason.contains("reconnect"), "\(reason)")
            // Recorded once as an event a person reads later, with the platform's reason.
            let events = try await api.call(.get, "/api/v1/events?type=connection_failing", token: owner.accessToken).items
            #expect(events.count == 1)
            #expect((events.first?["payload"] as? [String: String])?["connection_id"] == connection)
            #expect((events.first?["payload"] as? [String: String])?["reason"] == reason)
            #expect(try await api.call(.get, "/api/v1/placements?campaign_id=\(campaign)", token: owner.accessToken).items.isEmpty)
            // The slot waits for the account to be repaired: not dead, its attempt not used up.
            // (The connection is marked failing just before the task is put back to wait.)
            let publishing = try #require(
                try await Self.waitFor("the publishing task to wait") {
                    try await api.call(.get, "/api/v1/campaigns/\(campaign)/tasks?limit=200", token: owner.accessToken).items.first {
                        $0["engine"] as? String == "web2" && $0["state"] as? String != "running"
                    }
                })
            #expect(publishing["state"] as? String == "failed_retryable")
            #expect(publishing["attempt"] as? Int == 0)
            #expect((publishing["last_error"] as? String ?? "").contains("reconnect"))
        }
    }

    /// The account already used its hour (another worker's publishes, say): the slot waits for
    /// the window to open, nothing is published, and the account's limits show why.
    @Test func anAccountAtItsHourlyLimitMakesTheSlotWaitAndShowsItsUsage() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let coordination = Coordination(redis: nil, logger: TestDatabase.logger)
        try await TestApp.run(workers: Self.workers, engines: Self.engines(wordpress.url), coordination: coordination) { api, _ in
            let owner = try await api.signup()
            let connection = try await Self.connect(api, owner, wordpress)
            let changed = try await api.call(
                .patch, "/api/v1/connections/\(connection)", json: ["action_limits": ["publish": ["per_hour": 2, "per_day": 20]]],
                token: owner.accessToken)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect((changed["action_limits"] as? [String: [String: Int]])?["publish"] == ["per_hour": 2, "per_day": 20])
            let id = try #require(UUID(uuidString: connection))
            for _ in 0..<2 {
                _ = await coordination.actionLimiter.take(.publish, connectionID: id, limit: ActionLimit(perHour: 2, perDay: 20), spacing: .zero)
            }
            let (campaign, _) = try await Self.approveOneDraft(api, owner)
            let waiting = try #require(
                try await Self.waitFor("the publishing task to wait for the hour") {
                    try await api.call(.get, "/api/v1/campaigns/\(campaign)/tasks?limit=200", token: owner.accessToken).items.first {
                        $0["engine"] as? String == "web2" && ($0["last_error"] as? String ?? "").contains("an hour")
                    }
                })
            #expect(waiting["attempt"] as? Int == 0, "waiting uses no attempt")
            #expect((waiting["last_error"] as? String ?? "").contains("2 publish actions an hour"))
            #expect(try await api.call(.get, "/api/v1/placements?campaign_id=\(campaign)", token: owner.accessToken).items.isEmpty)
            let limits = try await api.call(.get, "/api/v1/connections/\(connection)/limits", token: owner.accessToken)
            #expect(limits.status == .ok, "\(limits.text)")
            let publish = try #require((limits["actions"] as? [[String: Any]])?.first)
            #expect(publish["action"] as? String == "publish")
            #expect(publish["per_hour"] as? Int == 2 && publish["used_this_hour"] as? Int == 2 && publish["max_per_hour"] as? Int == 20)
            #expect(limits.string("hour_resets_at") != nil)
            // Another tenant sees nothing of it.
            let stranger = try await api.signup(tenant: "Other")
            #expect(try await api.call(.get, "/api/v1/connections/\(connection)/limits", token: stranger.accessToken).status == .notFound)
        }
    }

    @Test func testingAConnectionSignsInAsTheEnginesWillAndSaysWhatHappened() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        let wiki = try #require(TestMediaWiki.fromEnvironment(), Comment(rawValue: TestMediaWiki.missing))
        try await TestApp.run(probe: AccountProbe(fetcher: .exempting(wordpress.url, wiki.url))) { api, database in
            let owner = try await api.signup()
            let other = try await api.signup(tenant: "Other")
            func test(_ id: String, as session: Session? = nil) async throws -> Reply {
                try await api.call(.post, "/api/v1/connections/\(id)/test", token: (session ?? owner).accessToken)
            }
            let blog = try await Self.connect(api, owner, wordpress)
            let works = try await test(blog)
            #expect(works.status == .ok)
            #expect(works["ok"] as? Bool == true)
            #expect(works.string("verdict") == "signed in as \(wordpress.author)")
            let wikiID = try await Self.connect(
                api, owner,
                ["platform": "mediawiki", "base_url": wiki.url, "username": wiki.botUser, "secret": wiki.botPassword, "label": "Wiki", "owned": true])
            #expect(try await test(wikiID).string("verdict") == "signed in as Linkbot")

            // A revoked password: the verdict says so and the connection is marked failing.
            let revoked = try await Self.connect(
                api, owner,
                ["platform": "wordpress", "base_url": wordpress.url, "username": "admin", "secret": "aaaa bbbb cccc dddd eeee ffff"])
            let refused = try await test(revoked)
            #expect(refused["ok"] as? Bool == false)
            #expect((refused.string("verdict") ?? "").contains("reconnect"), "\(refused.text)")
            #expect((refused["connection"] as? [String: Any])?["state"] as? String == "failing")
            // Operators see failing accounts (by platform and state, no tenant).
            #expect(try await api.call(.get, "/metrics").text.contains(#"linkwright_connections{platform="wordpress",state="failing"} 1"#))

            // An account that failed and works again (fixed on the platform's side) is active again.
            let tenant = try #require(UUID(uuidString: owner.tenantID))
            try await ConnectionRepository(database: database, secrets: TestApp.secretKeys).markFailing(
                tenantID: tenant, id: try #require(UUID(uuidString: blog)), reason: "was refused")
            let again = try await test(blog)
            #expect((again["connection"] as? [String: Any])?["state"] as? String == "active")
            #expect((again["connection"] as? [String: Any])?["last_error"] is NSNull)

            // A site that cannot be reached (no such host here), a disabled connection, another tenant.
            let nowhere = try await Self.connect(
                api, owner, ["platform": "wordpress", "base_url": "https://blog.nowhere.invalid", "username": "a", "secret": "b c d e"])
            let unreachable = try await test(nowhere)
            #expect(unreachable["ok"] as? Bool == false)
            #expect((unreachable.string("verdict") ?? "").contains("cannot be reached"), "\(unreachable.text)")
            _ = try await api.call(.patch, "/api/v1/connections/\(nowhere)", json: ["state": "disabled"], token: owner.accessToken)
            #expect(try await test(nowhere).status == .conflict)
            #expect(try await test(blog, as: other).status == .notFound)
        }
    }

    @Test func aSlotWaitsWhenThePlansPlacementsForTheMonthAreUsedOrBeingPlacedAndNothingIsPublished() async throws {
        let wordpress = try #require(TestWordPress.fromEnvironment(), Comment(rawValue: TestWordPress.missing))
        try await TestApp.run(workers: Self.workers, engines: Self.engines(wordpress.url)) { api, database in
            let owner = try await api.signup()
            let tenant = try #require(UUID(uuidString: owner.tenantID))
            _ = try await Self.connect(api, owner, wordpress)
            // The free plan's 50 placements this month: 49 made, and one more being published right
            // now by another worker (it may place its link before it completes, so it counts).
            try await database.withTenant(tenant) { connection in
                try await connection.query(
                    """
                    INSERT INTO placements (tenant_id, id, source_url, target_url, next_check_at)
                    SELECT \(tenant), gen_random_uuid(), 'https://elsewhere.example/' || n, 'https://client.example/shoes', now() + interval '1 day'
                    FROM generate_series(1, 49) n
                    """, logger: TestDatabase.logger)
            }
            try await TaskQueue(database: database).enqueue(tenantID: tenant, [NewTask(lane: .bulk, engine: "social", idempotencyKey: "elsewhere")])
            try await database.withTenant(tenant) { connection in
                try await connection.query(
                    """
                    UPDATE tasks SET state = 'running', attempt = 1, lease_owner = 'another worker', lease_expires_at = now() + interval '1 hour'
                    WHERE idempotency_key = 'elsewhere'
                    """, logger: TestDatabase.logger)
            }
            let (campaign, draftID) = try await Self.approveOneDraft(api, owner)
            let waiting = try await Self.waitFor("the publishing task to wait") {
                try await api.call(.get, "/api/v1/campaigns/\(campaign)/tasks?limit=200", token: owner.accessToken).items.first {
                    $0["engine"] as? String == "web2" && $0["last_error"] is String
                }
            }
            #expect((waiting?["last_error"] as? String ?? "").contains("50 placements for this month are used"), "\(waiting ?? [:])")
            #expect(waiting?["state"] as? String == "failed_retryable")
            #expect(try await api.call(.get, "/api/v1/placements?campaign_id=\(campaign)", token: owner.accessToken).items.isEmpty)
            #expect(try await api.call(.get, "/api/v1/drafts/\(draftID)", token: owner.accessToken).string("state") == "approved")
        }
    }

    @Test func aDraftThePlatformRefusedIsReviewedAgainAndItsSlotCanStillBePublished() async throws {
        // Content only: the publishing task is worked by hand here, as a refusing platform would.
        let engines = EngineRegistry([ContentEngine(generator: ContentGenerator(providers: [TemplateWriter()]))])
        try await TestApp.run(workers: Self.workers, engines: engines) { api, database in
            let owner = try await api.signup()
            let tenant = try #require(UUID(uuidString: owner.tenantID))
            let (campaign, draftID) = try await Self.approveOneDraft(api, owner)
            let queue = TaskQueue(database: database)
            let task = try #require(
                try await queue.claim(lane: .normal, engines: ["web2"], owner: "w", batch: 1, perTenant: 1, lease: .seconds(60)).tasks.first)
            let reason = "WordPress refused the content (400): the title is not allowed"
            try await DraftRepository(database: database).sendBack(
                tenantID: tenant, draftID: try #require(UUID(uuidString: draftID)), publishingTaskID: task.id, reason: reason)
            _ = try await queue.fail(task, owner: "w", error: reason, disposition: .giveUp)

            let draft = try await api.call(.get, "/api/v1/drafts/\(draftID)", token: owner.accessToken)
            #expect(draft.string("state") == "ready")
            #expect(draft.string("notes") == reason)
            // A person approves it again (or a rewrite of it): the slot gets a publishing task again.
            try await Self.approve(api, owner, campaign: campaign)
            let tasks = try await api.call(.get, "/api/v1/campaigns/\(campaign)/tasks?limit=200", token: owner.accessToken).items
            let publishing = tasks.filter { $0["engine"] as? String == "web2" }
            #expect(publishing.count == 2, "\(publishing)")
            #expect(publishing.contains { $0["state"] as? String == "available" && $0["idempotency_key"] as? String == task.idempotencyKey })
            #expect(publishing.contains { $0["state"] as? String == "dead" && $0["last_error"] as? String == reason })
        }
    }
}

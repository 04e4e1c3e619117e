import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightEngines
import LinkwrightServer
import LinkwrightStore
import LinkwrightTestSupport
import NIOPosix
import Testing
@testable import LinkwrightWorkers

@Suite struct PlacementTests {
    /// The verification engine pointed at the test site, with the SSRF guard on and politeness
    /// quick enough for tests.
    func engines(_ site: TestSite) -> EngineRegistry {
        let politeness = LocalPoliteness(interval: .milliseconds(10), suffixes: PublicSuffixList(text: ""))
        let fetcher = Fetcher(userAgent: "LinkwrightBot/test", resolver: site.resolver, policy: site.policy, politeness: politeness)
        let checker = LinkChecker(fetcher: fetcher, robots: RobotsCache(fetcher: fetcher, politeness: politeness), parsing: .singleton)
        return EngineRegistry([VerificationEngine(checker: checker)])
    }

    var workers: WorkerConfiguration {
        WorkerConfiguration(concurrency: [.verification: 4], pollInterval: .milliseconds(200))
    }

    func waitFor(_ api: API, _ path: String, token: String, until condition: (Reply) -> Bool) async throws -> Reply {
        var reply = try await api.call(.get, path, token: token)
        for _ in 0..<100 where !condition(reply) {
            try await Task.sleep(for: .milliseconds(100))
            reply = try await api.call(.get, path, token: token)
        }
        return reply
    }

    @Test func aPlacementIsVerifiedByTheWorkersAndItsCheckIsKept() async throws {
        try await TestSite.run { site in
            try await TestApp.run(workers: workers, engines: engines(site)) { api, _ in
                let owner = try await api.signup()
                let created = try await api.call(
                    .post, "/api/v1/placements",
                    json: [
                        "source_url": site.url("/follow"), "target_url": TestSite.target, "expected_anchor": "Best widgets",
                    ], token: owner.accessToken)
                #expect(created.status == .created)
                #expect(created.string("state") == "pending")
                let id = try #require(created.string("id"))

                let placement = try await waitFor(api, "/api/v1/placements/\(id)", token: owner.accessToken) { $0.string("state") != "pending" }
                #expect(placement.string("state") == "live")
                #expect(placement["checks"] as? Int == 1)
                #expect(placement.string("next_check_at") != nil)

                let checks = try await api.call(.get, "/api/v1/placements/\(id)/checks", token: owner.accessToken)
                let check = try #require(checks.items.first)
                #expect(check["http_status"] as? Int == 200)
                #expect(check["link_found"] as? Bool == true)
                #expect(check["anchor_text"] as? String == "Best widgets")
                #expect(check["rel"] as? [String] == ["follow"])
                #expect(check["indexable"] as? Bool == true)
                #expect(check["final_url"] as? String == site.url("/follow"))
            }
        }
    }

    @Test func aLinkThatDisappearsIsLostOnlyWhenASecondCleanCheckAgrees() async throws {
        try await TestSite.run { site in
            try await TestApp.run(workers: workers, engines: engines(site)) { api, _ in
                let owner = try await api.signup()
                site.setPage("/moving", html: #"<a href="\#(TestSite.target)">Best widgets</a>"#)
                let id = try #require(
                    try await api.call(
                        .post, "/api/v1/placements",
                        json: [
                            "source_url": site.url("/moving"), "target_url": TestSite.target,
                        ], token: owner.accessToken
                    ).string("id"))
                let path = "/api/v1/placements/\(id)"
                #expect(try await waitFor(api, path, token: owner.accessToken) { $0["checks"] as? Int == 1 }.string("state") == "live")

                site.setPage("/moving", html: "<p>The link was removed.</p>")
                #expect(try await api.call(.post, "\(path)/verify", token: owner.accessToken).status == .accepted)
                let firstMiss = try await waitFor(api, path, token: owner.accessToken) { $0["checks"] as? Int == 2 }
                #expect(firstMiss.string("state") == "live", "one miss is not yet a lost link")
                #expect(try await api.call(.get, "/api/v1/events?type=link_lost", token: owner.accessToken).items.isEmpty)

                #expect(try await api.call(.post, "\(path)/verify", token: owner.accessToken).status == .accepted)
                let confirmed = try await waitFor(api, path, token: owner.accessToken) { $0["checks"] as? Int == 3 }
                #expect(confirmed.string("state") == "missing")
                let events = try await api.call(.get, "/api/v1/events?type=link_lost", token: owner.accessToken).items
                #expect(events.count == 1)
                #expect(events.first?["placement_id"] as? String == id)
                #expect(try await api.call(.get, "\(path)/checks?limit=2", token: owner.accessToken).string("next_cursor") != nil)
                #expect(try await api.call(.get, "/metrics").text.contains("linkwright_links_lost_total 1"))
            }
        }
    }

    @Test func howALinkIsMatchedAndHowOftenItIsCheckedAreSetPerPlacementAndCampaign() async throws {
        try await TestSite.run { site in
            try await TestApp.run(workers: workers, engines: engines(site)) { api, _ in
                let owner = try await api.signup()
                let withWWW = #"<a href="https://www.target.example/page/">Best widgets</a>"#
                site.setPage("/www-a", html: withWWW)
                site.setPage("/www-b", html: withWWW)
                let lenient = try #require(
                    try await api.call(
                        .post, "/api/v1/placements",
                        json: [
                            "source_url": site.url("/www-a"), "target_url": TestSite.target,
                        ], token: owner.accessToken
                    ).string("id"))
                let strict = try #require(
                    try await api.call(
                        .post, "/api/v1/placements",
                        json: [
                            "source_url": site.url("/www-b"), "target_url": TestSite.target, "ignore_www": false, "ignore_trailing_slash": false,
                        ], token: owner.accessToken
                    ).string("id"))
                let checked: (Reply) -> Bool = { $0["checks"] as? Int == 1 }
                #expect(try await waitFor(api, "/api/v1/placements/\(lenient)", token: owner.accessToken, until: checked).string("state") == "live")
                #expect(try await waitFor(api, "/api/v1/placements/\(strict)", token: owner.accessToken, until: checked).string("state") == "missing")

                for hours in [0, 721] {
                    let bad = try await api.call(
                        .post, "/api/v1/campaigns",
                        json: [
                            "name": "C", "target_url": TestSite.target, "anchor_texts": ["a"], "engines": ["web2"], "verify_every_hours": hours,
                        ], token: owner.accessToken)
                    #expect(bad.status == .unprocessableContent && bad.string("field") == "verify_every_hours")
                }
                let campaign = try await api.call(
                    .post, "/api/v1/campaigns",
                    json: [
                        "name": "C", "target_url": TestSite.target, "anchor_texts": ["a"], "engines": ["web2"], "verify_every_hours": 6,
                    ], token: owner.accessToken)
                #expect(campaign["verify_every_hours"] as? Int == 6)
                let campaignID = try #require(campaign.string("id"))
                let inCampaign = try #require(
                    try await api.call(
                        .post, "/api/v1/placements",
                        json: [
                            "source_url": site.url("/follow"), "target_url": TestSite.target, "campaign_id": campaignID,
                        ], token: owner.accessToken
                    ).string("id"))
                let placed = try await waitFor(api, "/api/v1/placements/\(inCampaign)", token: owner.accessToken, until: checked)
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                let next = try #require(placed.string("next_check_at").flatMap { formatter.date(from: $0) ?? ISO8601DateFormatter().date(from: $0) })
                #expect(abs(next.timeIntervalSinceNow - 6 * 3600) < 120, "checked again in the campaign's 6 hours, not a day")
            }
        }
    }

    @Test func badInputIsNamedAndChangesNothing() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            for (body, field) in [
                (["source_url": "ftp://x.example/a", "target_url": "https://t.example/"], "source_url"),
                (["source_url": "https://x.example/a"], "target_url"),
                (["source_url": "https://x.example/a", "target_url": "https://t.example/", "campaign_id": "nope"], "campaign_id"),
                (["source_url": "https://x.example/a", "target_url": "https://t.example/", "campaign_id": UUID().uuidString], "campaign_id"),
                (
                    ["source_url": "https://x.example/a", "target_url": "https://t.example/", "expected_anchor": String(repeating: "a", count: 501)],
                    "expected_anchor"
                ),
            ] {
                let reply = try await api.call(.post, "/api/v1/placements", json: body, token: owner.accessToken)
                #expect(reply.status == .unprocessableContent && reply.string("field") == field, "\(body): \(reply.text)")
            }
            #expect(try await api.call(.get, "/api/v1/placements", token: owner.accessToken).items.isEmpty)
            #expect(try await api.call(.get, "/api/v1/placements?state=lost", token: owner.accessToken).string("field") == "state")

            let body = ["source_url": "https://blog.example/post", "target_url": "https://t.example/"]
            #expect(try await api.call(.post, "/api/v1/placements", json: body, token: owner.accessToken).status == .created)
            let again = try await api.call(.post, "/api/v1/placements", json: body, token: owner.accessToken)
            #expect(again.status == .conflict && again.string("error_code") == "DUPLICATE")
        }
    }

    @Test func anImportKeepsTheValidRowsAndNamesEveryBadOne() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            try await api.call(
                .post, "/api/v1/placements", json: ["source_url": "https://dup.example/a", "target_url": "https://t.example/"],
                token: owner.accessToken)
            let csv = """
                source_url,target_url,expected_anchor
                https://one.example/a,https://t.example/,"Widgets, the best"
                not a url,https://t.example/,x
                https://dup.example/a,https://t.example/,
                https://two.example/b,https://t.example/
                just-one-field
                "https://three.example/c","https://t.example/","He said ""hi""
                and left"
                """
            let reply = try await api.call(
                .post, "/api/v1/placements/import", token: owner.accessToken, body: csv,
                headers: [.contentType: "text/csv"])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply["created"] as? Int == 3)
            #expect(reply["duplicates"] as? Int == 1)
            let errors = try #require(reply["errors"] as? [[String: Any]])
            #expect(errors.map { $0["row"] as? Int } == [3, 4, 6])
            #expect(errors.first?["field"] as? String == "source_url")
            let list = try await api.call(.get, "/api/v1/placements?limit=10", token: owner.accessToken).items
            #expect(list.count == 4)
            #expect(list.contains { $0["expected_anchor"] as? String == "Widgets, the best" })
            #expect(list.contains { $0["expected_anchor"] as? String == "He said \"hi\"\nand left" }, "quotes doubled, a line break inside quotes")
        }
    }

    @Test func aLargeImportIsCreatedWhole() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            _ = try await AccountRepository(database: database).setPlan(tenantID: UUID(uuidString: owner.tenantID)!, plan: "agency")
            // Large enough that anything quadratic in the rows would show (it did, once).
            let rows = (0..<5_000).map { "https://s\($0).example/p,https://t.example/,anchor \($0)" }.joined(separator: "\n")
            let reply = try await api.call(
                .post, "/api/v1/placements/import", token: owner.accessToken, body: rows,
                headers: [.contentType: "text/csv"])
            #expect(reply.status == .ok && reply["created"] as? Int == 5_000, "\(reply.text.prefix(300))")
            let me = try await api.call(.get, "/api/v1/me", token: owner.accessToken)
            #expect((me["plan"] as? [String: Any]).flatMap { $0["usage"] as? [String: Any] }?["placements_this_month"] as? Int == 5_000)
        }
    }

    @Test func anImportOfMoreThan50000RowsIsRefusedWhole() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            _ = try await AccountRepository(database: database).setPlan(tenantID: UUID(uuidString: owner.tenantID)!, plan: "agency")
            let rows = (0...50_000).map { "https://s\($0).example/p,https://t.example/" }.joined(separator: "\n")
            let reply = try await api.call(
                .post, "/api/v1/placements/import", token: owner.accessToken, body: rows,
                headers: [.contentType: "text/csv"])
            #expect(reply.status == .contentTooLarge && reply.string("error_code") == "TOO_MANY_ROWS")
            #expect(try await api.call(.get, "/api/v1/placements", token: owner.accessToken).items.isEmpty)
        }
    }

    @Test func theMonthlyPlacementLimitHoldsAndAnImportPastItWritesNothing() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()  // free: 50 a month
            let rows = (0..<51).map { "https://s\($0).example/p,https://t.example/" }.joined(separator: "\n")
            let refused = try await api.call(
                .post, "/api/v1/placements/import", token: owner.accessToken, body: rows,
                headers: [.contentType: "text/csv"])
            #expect(refused.status == .conflict && refused.string("error_code") == "QUOTA_EXCEEDED")
            #expect(try await api.call(.get, "/api/v1/placements", token: owner.accessToken).items.isEmpty)

            let fifty = (0..<50).map { "https://s\($0).example/p,https://t.example/" }.joined(separator: "\n")
            #expect(
                try await api.call(
                    .post, "/api/v1/placements/import", token: owner.accessToken, body: fifty,
                    headers: [.contentType: "text/csv"])["created"] as? Int == 50)
            let me = try await api.call(.get, "/api/v1/me", token: owner.accessToken)
            #expect((me["plan"] as? [String: Any]).flatMap { $0["usage"] as? [String: Any] }?["placements_this_month"] as? Int == 50)

            // Concurrent creations cannot together pass the limit either.
            let results = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for n in 0..<5 {
                    group.addTask {
                        try await api.call(
                            .post, "/api/v1/placements", json: ["source_url": "https://late\(n).example/", "target_url": "https://t.example/"],
                            token: owner.accessToken
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0 == .conflict })
        }
    }

    @Test func anotherTenantGets404ForEveryPlacementRoute() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let stranger = try await api.signup(tenant: "Other")
            let id = try #require(
                try await api.call(
                    .post, "/api/v1/placements",
                    json: [
                        "source_url": "https://mine.example/p", "target_url": "https://t.example/",
                    ], token: owner.accessToken
                ).string("id"))
            for (method, path) in [(HTTPRequest.Method.get, ""), (.get, "/checks"), (.post, "/verify"), (.delete, "")] {
                let reply = try await api.call(method, "/api/v1/placements/\(id)\(path)", token: stranger.accessToken)
                #expect(reply.status == .notFound, "\(method) \(path)")
            }
            #expect(try await api.call(.get, "/api/v1/placements", token: stranger.accessToken).items.isEmpty)
            #expect(try await api.call(.get, "/api/v1/placements/\(id)", token: owner.accessToken).status == .ok, "the stranger changed nothing")
            #expect(try await api.call(.delete, "/api/v1/placements/\(id)", token: owner.accessToken).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/placements/\(id)", token: owner.accessToken).status == .notFound)
        }
    }
}

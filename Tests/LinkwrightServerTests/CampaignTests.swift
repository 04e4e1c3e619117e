import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightServer
import LinkwrightStore
import Testing

@Suite struct CampaignTests {
    static var valid: [String: Any] {
        [
            "name": "Spring push", "target_url": "HTTPS://Client.Example/shoes#top", "anchor_texts": ["best running shoes"],
            "keywords": ["running shoes"], "engines": ["web2", "forums"], "priority": "high", "daily_limit": 3,
            "budget_micros": 25_000_000, "min_authority": 20,
        ]
    }

    func create(_ api: API, _ session: Session, _ changes: [String: Any] = [:]) async throws -> Reply {
        try await api.call(.post, "/api/v1/campaigns", json: Self.valid.merging(changes) { $1 }, token: session.accessToken)
    }

    @Test func aCampaignIsCreatedAsADraftWithItsURLNormalised() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let created = try await create(api, owner)
            #expect(created.status == .created)
            #expect(created.string("status") == "draft")
            #expect(created.string("target_url") == "https://client.example/shoes")
            #expect(created["budget_micros"] as? Int == 25_000_000)
            let id = try #require(created.string("id"))
            let fetched = try await api.call(.get, "/api/v1/campaigns/\(id)", token: owner.accessToken)
            #expect(fetched.string("name") == "Spring push")
            #expect(fetched.json.keys.contains("ends_at"))
        }
    }

    @Test func anInvalidFieldIsNamedAndNothingIsCreatedUntilItIsFixed() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            for (change, field) in [
                (["engines": ["email"]] as [String: Any], "engines"), (["target_url": "ftp://x.example"], "target_url"),
                (["daily_limit": 0], "daily_limit"), (["budget_micros": 1.5], "budget_micros"), (["priority": "asap"], "priority"),
                (["anchor_texts": "one"], "anchor_texts"), (["ends_at": "2001-01-01T00:00:00Z"], "ends_at"),
            ] {
                let reply = try await create(api, owner, change)
                #expect(reply.status == .unprocessableContent, "\(change)")
                #expect(reply.string("field") == field, "\(change): \(reply.text)")
            }
            #expect(try await api.call(.get, "/api/v1/campaigns", token: owner.accessToken).items.isEmpty)
            #expect(try await create(api, owner).status == .created)
        }
    }

    @Test func theLifecycleMovesThroughStartPauseResumeArchiveAndRefusesIllegalSteps() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let id = try #require(try await create(api, owner).string("id"))
            func act(_ action: String) async throws -> Reply {
                try await api.call(.post, "/api/v1/campaigns/\(id)/\(action)", token: owner.accessToken)
            }
            let illegal = try await act("pause")
            #expect(illegal.status == .conflict)
            #expect(illegal.string("error_code") == "ILLEGAL_TRANSITION")
            #expect(try await api.call(.get, "/api/v1/campaigns/\(id)", token: owner.accessToken).string("status") == "draft")
            #expect(try await act("start").string("status") == "active")
            #expect(try await act("start").status == .conflict)
            #expect(try await act("pause").string("status") == "paused")
            #expect(try await act("resume").string("status") == "active")
            #expect(try await api.call(.delete, "/api/v1/campaigns/\(id)", token: owner.accessToken).status == .conflict)
            #expect(try await act("archive").string("status") == "archived")
            #expect(try await act("resume").status == .conflict)
            let frozen = try await api.call(.patch, "/api/v1/campaigns/\(id)", json: ["name": "Renamed"], token: owner.accessToken)
            #expect(frozen.status == .conflict)
            #expect(frozen.string("error_code") == "CAMPAIGN_ARCHIVED")
            #expect(try await api.call(.delete, "/api/v1/campaigns/\(id)", token: owner.accessToken).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/campaigns/\(id)", token: owner.accessToken).status == .notFound)
        }
    }

    @Test func editsApplyOnlyValidChangesAndNullClearsADate() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let end = Date().addingTimeInterval(86_400 * 30).formatted(Date.ISO8601FormatStyle())
            let id = try #require(try await create(api, owner, ["ends_at": end]).string("id"))
            let bad = try await api.call(.patch, "/api/v1/campaigns/\(id)", json: ["name": "Renamed", "daily_limit": 5000], token: owner.accessToken)
            #expect(bad.string("field") == "daily_limit")
            #expect(try await api.call(.get, "/api/v1/campaigns/\(id)", token: owner.accessToken).string("name") == "Spring push")
            let good = try await api.call(
                .patch, "/api/v1/campaigns/\(id)", json: ["name": "Renamed", "ends_at": NSNull()], token: owner.accessToken)
            #expect(good.status == .ok)
            #expect(good.string("name") == "Renamed")
            #expect(good["ends_at"] is NSNull)
            #expect(good["daily_limit"] as? Int == 3)
        }
    }

    @Test func concurrentStartsNeverExceedThePlansActiveCampaigns() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()  // the free plan allows one active campaign
            var ids: [String] = []
            for i in 0..<8 { ids.append(try #require(try await create(api, owner, ["name": "c\(i)"]).string("id"))) }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for id in ids {
                    group.addTask { try await api.call(.post, "/api/v1/campaigns/\(id)/start", token: owner.accessToken).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
            let active = try await api.call(.get, "/api/v1/campaigns?status=active", token: owner.accessToken)
            #expect(active.items.count == 1)
            let me = try await api.call(.get, "/api/v1/me", token: owner.accessToken)
            let plan = try #require(me["plan"] as? [String: Any])
            #expect(plan["name"] as? String == "free")
            #expect((plan["limits"] as? [String: Any])?["active_campaigns"] as? Int == 1)
            #expect((plan["usage"] as? [String: Any])?["active_campaigns"] as? Int == 1)
        }
    }

    @Test func anOperatorsPlanChangeRaisesTheLimit() async throws {
        try await TestApp.run { api, database in
            let owner = try await api.signup()
            _ = try await AccountRepository(database: database).createOperator(
                email: EmailAddress("ops@linkwright.test")!, passwordHash: PasswordHasher().hash("operator passphrase"))
            let ops = try #require(
                try await api.call(.post, "/api/v1/auth/login", json: ["email": "ops@linkwright.test", "password": "operator passphrase"]).string(
                    "access_token"))
            let a = try #require(try await create(api, owner).string("id"))
            let b = try #require(try await create(api, owner).string("id"))
            #expect(try await api.call(.post, "/api/v1/campaigns/\(a)/start", token: owner.accessToken).status == .ok)
            let refused = try await api.call(.post, "/api/v1/campaigns/\(b)/start", token: owner.accessToken)
            #expect(refused.string("error_code") == "QUOTA_EXCEEDED")
            #expect(
                try await api.call(.patch, "/api/v1/admin/tenants/\(owner.tenantID)", json: ["plan": "platinum"], token: ops).string("field")
                    == "plan")
            #expect(
                try await api.call(.patch, "/api/v1/admin/tenants/\(owner.tenantID)", json: ["plan": "pro"], token: owner.accessToken).status
                    == .forbidden)
            #expect(try await api.call(.patch, "/api/v1/admin/tenants/\(UUID().uuidString)", json: ["plan": "pro"], token: ops).status == .notFound)
            let changed = try await api.call(.patch, "/api/v1/admin/tenants/\(owner.tenantID)", json: ["plan": "pro"], token: ops)
            #expect(changed.status == .ok && changed.string("plan") == "pro")
            let listed = try await api.call(.get, "/api/v1/admin/tenants", token: ops).items
            #expect(listed.first { $0["id"] as? String == owner.tenantID }?["plan"] as? String == "pro", "operators see each tenant's plan")
            #expect(try await api.call(.post, "/api/v1/campaigns/\(b)/start", token: owner.accessToken).status == .ok)
        }
    }

    @Test func anotherTenantGets404ForEveryCampaignRoute() async throws {
        try await TestApp.run { api, _ in
            let alpha = try await api.signup(tenant: "Alpha")
            let beta = try await api.signup(tenant: "Beta")
            let id = try #require(try await create(api, alpha).string("id"))
            let attempts: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.get, "/api/v1/campaigns/\(id)", nil), (.patch, "/api/v1/campaigns/\(id)", ["name": "mine now"]),
                (.delete, "/api/v1/campaigns/\(id)", nil), (.post, "/api/v1/campaigns/\(id)/start", nil),
                (.post, "/api/v1/campaigns/\(id)/pause", nil), (.post, "/api/v1/campaigns/\(id)/resume", nil),
                (.post, "/api/v1/campaigns/\(id)/archive", nil),
            ]
            for (method, path, body) in attempts {
                #expect(try await api.call(method, path, json: body, token: beta.accessToken).status == .notFound, "\(method) \(path)")
            }
            #expect(try await api.call(.get, "/api/v1/campaigns", token: beta.accessToken).items.isEmpty)
            let untouched = try await api.call(.get, "/api/v1/campaigns/\(id)", token: alpha.accessToken)
            #expect(untouched.string("name") == "Spring push")
            #expect(untouched.string("status") == "draft")
        }
    }

    @Test func listsFilterByStatusAndPage() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            for i in 0..<5 { _ = try await create(api, owner, ["name": "c\(i)"]) }
            var names: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.call(
                    .get, "/api/v1/campaigns?status=draft&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: owner.accessToken)
                names += page.items.compactMap { $0["name"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil
            #expect(names == ["c4", "c3", "c2", "c1", "c0"])
            #expect(try await api.call(.get, "/api/v1/campaigns?status=running", token: owner.accessToken).string("field") == "status")
        }
    }

    @Test func aReadKeyCanListButNotCreate() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let key = try #require(
                try await api.call(.post, "/api/v1/api-keys", json: ["name": "r", "scopes": ["read"]], token: owner.accessToken).string("key"))
            #expect(try await api.call(.get, "/api/v1/campaigns", token: key).status == .ok)
            #expect(try await api.call(.post, "/api/v1/campaigns", json: Self.valid, token: key).status == .forbidden)
        }
    }
}

import Foundation
import HTTPTypes
import Testing

@Suite struct CampaignTaskTests {
    /// A campaign of 2 days × 3 a day on two engines, started; returns its id.
    func startedCampaign(_ api: API, _ owner: Session, priority: String = "normal") async throws -> String {
        let start = Date().addingTimeInterval(3600).formatted(Date.ISO8601FormatStyle())
        let end = Date().addingTimeInterval(3600 + 2 * 86_400).formatted(Date.ISO8601FormatStyle())
        var body = CampaignTests.valid
        body["daily_limit"] = 3
        body["priority"] = priority
        body["starts_at"] = start
        body["ends_at"] = end
        let id = try #require(try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken).string("id"))
        #expect(try await api.call(.post, "/api/v1/campaigns/\(id)/start", token: owner.accessToken).status == .ok)
        return id
    }

    func allTasks(_ api: API, _ owner: Session, _ id: String, state: String? = nil) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var cursor: String?
        repeat {
            var path = "/api/v1/campaigns/\(id)/tasks?limit=4"
            if let state { path += "&state=\(state)" }
            if let cursor { path += "&cursor=\(cursor)" }
            let page = try await api.call(.get, path, token: owner.accessToken)
            #expect(page.status == .ok)
            items += page.items
            cursor = page.json["next_cursor"] as? String
        } while cursor != nil
        return items
    }

    @Test func startingPlansTheTasksWhichWaitVisiblyAndResumingAddsNone() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let id = try await startedCampaign(api, owner)
            let tasks = try await allTasks(api, owner, id)
            #expect((6...9).contains(tasks.count), "2 days × 3 a day, partly on a third calendar day: \(tasks.count)")
            #expect(Set(tasks.compactMap { $0["idempotency_key"] as? String }).count == tasks.count)
            // Each slot's draft is written first: a content task per slot, naming the slot's engine.
            #expect(Set(tasks.compactMap { $0["engine"] as? String }) == ["content"])
            #expect(Set(tasks.compactMap { ($0["payload"] as? [String: Any])?["engine"] as? String }) == ["web2", "forums"])
            #expect(tasks.allSatisfy { $0["state"] as? String == "scheduled" && $0["lane"] as? String == "normal" })
            #expect((tasks.first?["payload"] as? [String: Any])?["target_url"] as? String == "https://client.example/shoes")

            _ = try await api.call(.post, "/api/v1/campaigns/\(id)/pause", token: owner.accessToken)
            _ = try await api.call(.post, "/api/v1/campaigns/\(id)/resume", token: owner.accessToken)
            #expect(try await allTasks(api, owner, id).count == tasks.count)

            let queue = try await api.call(.get, "/api/v1/queue", token: owner.accessToken)
            let normal = try #require((queue["lanes"] as? [String: Any])?["normal"] as? [String: Int])
            #expect(normal["scheduled"] == tasks.count)
            #expect(normal["dead"] == 0)
        }
    }

    @Test func archivingCancelsWorkThatHasNotStarted() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let id = try await startedCampaign(api, owner)
            let count = try await allTasks(api, owner, id).count
            _ = try await api.call(.post, "/api/v1/campaigns/\(id)/archive", token: owner.accessToken)
            let cancelled = try await allTasks(api, owner, id, state: "cancelled")
            #expect(cancelled.count == count)
            #expect(cancelled.allSatisfy { $0["finished_at"] is String })
        }
    }

    @Test func editingARunningCampaignsScheduleReplansOnlyPendingWork() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let id = try await startedCampaign(api, owner)
            let before = try await allTasks(api, owner, id).count
            let edited = try await api.call(.patch, "/api/v1/campaigns/\(id)", json: ["daily_limit": 6], token: owner.accessToken)
            #expect(edited.status == .ok)
            let after = try await allTasks(api, owner, id)
            let keys = after.compactMap { $0["idempotency_key"] as? String }
            #expect(Set(keys).count == after.count)
            #expect(after.count > before)
            // Per calendar day: never more than the new limit, and a day inside the campaign has exactly it.
            let perDay = Dictionary(grouping: keys) { $0.components(separatedBy: ":day:")[1].prefix(10) }.mapValues(\.count)
            #expect(perDay.values.allSatisfy { $0 <= 6 })
            #expect(perDay.values.contains(6))
            // A change that does not touch the schedule leaves the tasks alone.
            let ids = after.compactMap { $0["id"] as? Int }
            _ = try await api.call(.patch, "/api/v1/campaigns/\(id)", json: ["name": "Renamed"], token: owner.accessToken)
            #expect(try await allTasks(api, owner, id).compactMap { $0["id"] as? Int } == ids)
        }
    }

    @Test func priorityChoosesTheLane() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let id = try await startedCampaign(api, owner, priority: "bulk")
            #expect(try await allTasks(api, owner, id).allSatisfy { $0["lane"] as? String == "bulk" })
        }
    }

    @Test func anotherTenantGets404ForTasksAndSeesNoneInItsQueue() async throws {
        try await TestApp.run { api, _ in
            let alpha = try await api.signup(tenant: "Alpha")
            let beta = try await api.signup(tenant: "Beta")
            let id = try await startedCampaign(api, alpha)
            #expect(try await api.call(.get, "/api/v1/campaigns/\(id)/tasks", token: beta.accessToken).status == .notFound)
            let queue = try await api.call(.get, "/api/v1/queue", token: beta.accessToken)
            let lanes = try #require(queue["lanes"] as? [String: [String: Int]])
            #expect(lanes.values.allSatisfy { $0.values.allSatisfy { $0 == 0 } })
            #expect(try await api.call(.get, "/api/v1/campaigns/\(id)/tasks?state=bogus", token: alpha.accessToken).string("field") == "state")
        }
    }
}

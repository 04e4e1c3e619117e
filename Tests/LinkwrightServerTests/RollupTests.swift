import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightServer
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing
@testable import LinkwrightWorkers

/// The hourly rollups against the raw tables they summarise.
@Suite struct RollupTests {
    /// Runs each `;`-terminated statement of `text` in turn (one command per prepared statement).
    func sql(_ endpoint: DatabaseEndpoint, _ text: String) async throws {
        try await TestDatabase.withConnection(endpoint) { c in
            for statement in text.components(separatedBy: ";\n") where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                try await c.query(PostgresQuery(unsafeSQL: statement), logger: TestDatabase.logger)
            }
        }
    }

    func int(_ endpoint: DatabaseEndpoint, _ text: String) async throws -> Int64 {
        try await TestDatabase.withConnection(endpoint) { c in
            try await c.query(PostgresQuery(unsafeSQL: text), logger: TestDatabase.logger).decode(Int64?.self).first { _ in true }.flatMap { $0 } ?? 0
        }
    }

    /// Random raw events for `campaigns` spread over the last five hours: finished and dead
    /// tasks, placements, checks, lost links and costs.
    func scatter(_ endpoint: DatabaseEndpoint, tenant: String, campaigns: [String], seed: Int) async throws {
        var rng = SeededGenerator(seed: UInt64(seed))
        for (n, campaign) in campaigns.enumerated() {
            let tasks = Int.random(in: 5...40, using: &rng)
            let placements = Int.random(in: 2...10, using: &rng)
            try await sql(
                endpoint,
                """
                INSERT INTO tasks (tenant_id, lane, engine, campaign_id, state, run_at, idempotency_key, finished_at)
                SELECT '\(tenant)', 'normal', 'web2', '\(campaign)', CASE WHEN i % 4 = 0 THEN 'dead' ELSE 'succeeded' END, now(),
                       'raw-\(n)-' || i, now() - (random() * interval '5 hours')
                FROM generate_series(1, \(tasks)) i;
                INSERT INTO placements (tenant_id, id, campaign_id, source_url, target_url, created_at)
                SELECT '\(tenant)', gen_random_uuid(), '\(campaign)', 'https://blog\(n).example/p' || i, 'https://client.example/', now() - (random() * interval '5 hours')
                FROM generate_series(1, \(placements)) i;
                INSERT INTO placement_checks (tenant_id, placement_id, checked_at, state, detail, link_found)
                SELECT p.tenant_id, p.id, now() - (random() * interval '5 hours'), CASE WHEN random() < 0.7 THEN 'live' ELSE 'missing' END, 'x', true
                FROM placements p, generate_series(1, 3) WHERE p.campaign_id = '\(campaign)';
                INSERT INTO events (tenant_id, type, placement_id, created_at)
                SELECT p.tenant_id, 'link_lost', p.id, now() - (random() * interval '5 hours') FROM placements p WHERE p.campaign_id = '\(campaign)' LIMIT 2;
                INSERT INTO cost_ledger (tenant_id, campaign_id, task_id, kind, quantity, unit, amount_micros, idempotency_key, occurred_at)
                SELECT '\(tenant)', '\(campaign)', i, 'placement', 1, 'placement', (random() * 300000)::bigint, 'cost-\(n)-' || i,
                       now() - (random() * interval '5 hours')
                FROM generate_series(1, \(tasks)) i;
                """)
        }
    }

    /// Each measure summed over the rollups of the tenant, and the same measure from the raw tables.
    func compare(_ endpoint: DatabaseEndpoint, tenant: String) async throws -> [String: (rollup: Int64, raw: Int64)] {
        let raw: [String: String] = [
            "tasks_finished":
                "SELECT count(*) FROM tasks WHERE tenant_id = '\(tenant)' AND campaign_id IS NOT NULL AND state = 'succeeded' AND finished_at IS NOT NULL",
            "tasks_failed": "SELECT count(*) FROM tasks WHERE tenant_id = '\(tenant)' AND campaign_id IS NOT NULL AND state = 'dead'",
            "placements_created": "SELECT count(*) FROM placements WHERE tenant_id = '\(tenant)' AND campaign_id IS NOT NULL",
            "verification_checks": "SELECT count(*) FROM placement_checks WHERE tenant_id = '\(tenant)'",
            "placements_live": """
            SELECT sum(n)::bigint FROM (SELECT count(DISTINCT placement_id) AS n FROM placement_checks
            WHERE tenant_id = '\(tenant)' AND state = 'live' GROUP BY date_trunc('hour', checked_at)) x
            """,
            "placements_lost": "SELECT count(*) FROM events WHERE tenant_id = '\(tenant)'",
            "cost_micros": "SELECT sum(amount_micros)::bigint FROM cost_ledger WHERE tenant_id = '\(tenant)'",
        ]
        var result: [String: (Int64, Int64)] = [:]
        for (measure, query) in raw {
            result[measure] = (
                try await int(endpoint, "SELECT sum(\(measure))::bigint FROM campaign_metrics_hourly WHERE tenant_id = '\(tenant)'"),
                try await int(endpoint, query)
            )
        }
        return result
    }

    @Test func rollupsEqualTheRawTotalsLateEventsIncludedAndRerunsChangeNothing() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestApp.run(endpoint: endpoint) { api, database in
            let owner = try await api.signup()
            var campaigns: [String] = []
            for _ in 0..<3 {
                campaigns.append(
                    try #require(try await api.call(.post, "/api/v1/campaigns", json: CampaignTests.valid, token: owner.accessToken).string("id")))
            }
            try await scatter(endpoint, tenant: owner.tenantID, campaigns: campaigns, seed: Int.random(in: 1...1_000_000))
            let rollups = RollupRepository(database: database)
            let now = Date()
            try await rollups.recompute(from: now.addingTimeInterval(-6 * 3600), to: now.addingTimeInterval(3600))
            for (measure, totals) in try await compare(endpoint, tenant: owner.tenantID) {
                #expect(totals.rollup == totals.raw, "\(measure): rollup \(totals.rollup), raw \(totals.raw)")
            }

            // A cost recorded late for two hours ago is counted when its hour is recomputed, as
            // the scheduler's next tick does; and recomputing again changes nothing.
            try await sql(
                endpoint,
                """
                INSERT INTO cost_ledger (tenant_id, campaign_id, kind, quantity, unit, amount_micros, idempotency_key, occurred_at)
                VALUES ('\(owner.tenantID)', '\(campaigns[0])', 'fetch', 1, 'request', 777, 'late', now() - interval '2 hours')
                """)
            let window = Scheduler.window(now: Date())
            try await rollups.recompute(from: window.from, to: window.to)
            let before = try await int(endpoint, "SELECT count(*) FROM campaign_metrics_hourly")
            try await rollups.recompute(from: window.from, to: window.to)
            #expect(try await int(endpoint, "SELECT count(*) FROM campaign_metrics_hourly") == before)
            let cost = try #require(try await compare(endpoint, tenant: owner.tenantID)["cost_micros"])
            #expect(cost.rollup == cost.raw)
            #expect(try await rollups.lagSeconds() ?? 99 < 5)

            // The API reads the same totals, for this tenant only.
            let from = RFC3339Text.format(now.addingTimeInterval(-6 * 3600))
            let metrics = try await api.call(.get, "/api/v1/campaigns/\(campaigns[0])/metrics?granularity=day&from=\(from)", token: owner.accessToken)
            #expect(metrics.status == .ok)
            let expected = try await int(
                endpoint, "SELECT sum(cost_micros)::bigint FROM campaign_metrics_hourly WHERE campaign_id = '\(campaigns[0])'")
            #expect(Int64((metrics["totals"] as? [String: Any])?["cost_micros"] as? Int ?? -1) == expected)
            let summary = try await api.call(.get, "/api/v1/metrics/summary?from=\(from)", token: owner.accessToken)
            #expect(Int64((summary["totals"] as? [String: Any])?["cost_micros"] as? Int ?? -1) == cost.raw)
            let stranger = try await api.signup(tenant: "Other")
            #expect(try await api.call(.get, "/api/v1/campaigns/\(campaigns[0])/metrics", token: stranger.accessToken).status == .notFound)
            #expect(
                Int64(
                    (try await api.call(.get, "/api/v1/metrics/summary", token: stranger.accessToken)["totals"] as? [String: Any])?["cost_micros"]
                        as? Int ?? -1) == 0)
        }
    }

    @Test func metricsRangesAreValidatedAndEveryBucketIsPresent() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let id = try #require(try await api.call(.post, "/api/v1/campaigns", json: CampaignTests.valid, token: owner.accessToken).string("id"))
            let bad = try await api.call(.get, "/api/v1/campaigns/\(id)/metrics?granularity=week", token: owner.accessToken)
            #expect(bad.status == .unprocessableContent && bad.string("field") == "granularity")
            let backwards = try await api.call(
                .get, "/api/v1/campaigns/\(id)/metrics?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", token: owner.accessToken)
            #expect(backwards.status == .unprocessableContent && backwards.string("field") == "from")
            let huge = try await api.call(
                .get, "/api/v1/campaigns/\(id)/metrics?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", token: owner.accessToken)
            #expect(huge.status == .unprocessableContent)
            let day = try await api.call(
                .get, "/api/v1/campaigns/\(id)/metrics?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z", token: owner.accessToken)
            #expect(day.items.count == 24, "every hour, empty ones as zeros")
            #expect(day.items.first?["success_rate"] is NSNull)
        }
    }
}

/// A small deterministic generator, so a failing random case can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        return z ^ (z >> 31)
    }
}

enum RFC3339Text {
    static func format(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle()) }
}

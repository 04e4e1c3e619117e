import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing

@Suite struct BillingTests {
    static let fixtures = TestDatabase.repositoryRoot.appendingPathComponent("Tests/LinkwrightServerTests/Fixtures")

    func sql(_ endpoint: DatabaseEndpoint, _ text: String) async throws {
        try await TestDatabase.withConnection(endpoint) { c in try await c.query(PostgresQuery(unsafeSQL: text), logger: TestDatabase.logger) }
    }

    /// October 2026 for one tenant: placements across the pro plan's tier, checks, tokens, credits
    /// and unpriced requests; plus one placement on 1 November, which is not October's.
    func fixtureMonth(_ endpoint: DatabaseEndpoint, tenant: String) async throws {
        try await sql(endpoint, "UPDATE tenants SET plan = 'pro', name = 'Golden & Co, \"Ltd\"' WHERE id = '\(tenant)'")
        try await sql(
            endpoint,
            """
            INSERT INTO cost_ledger (tenant_id, kind, quantity, unit, amount_micros, idempotency_key, occurred_at)
            SELECT '\(tenant)', kind, quantity, unit, 0, kind || '-' || n, timestamptz '2026-10-01 00:00:00+00' + n * interval '1 hour'
            FROM (VALUES ('placement', 1, 'placement', 620), ('verification', 12345, 'check', 1), ('llm_tokens', 1000001, 'token', 1),
                         ('scrape_credits', 3, 'credit', 1), ('fetch', 50, 'request', 1)) AS v(kind, quantity, unit, rows),
                 generate_series(1, 620) n
            WHERE n <= rows
            """)
        try await sql(
            endpoint,
            """
            INSERT INTO cost_ledger (tenant_id, kind, quantity, unit, amount_micros, idempotency_key, occurred_at)
            VALUES ('\(tenant)', 'placement', 1, 'placement', 0, 'november', '2026-11-01 00:00:00+00')
            """)
    }

    @Test func aClosedMonthsReportMatchesTheGoldenFilesAndStaysFrozenWhenPricesChange() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestApp.run(endpoint: endpoint) { api, _ in
            let owner = try await api.signup()
            try await fixtureMonth(endpoint, tenant: owner.tenantID)
            var first: [String: String] = [:]
            for format in ["json", "csv", "html"] {
                let reply = try await api.call(.get, "/api/v1/billing/reports/2026-10?format=\(format)", token: owner.accessToken)
                #expect(reply.status == .ok)
                first[format] = reply.text
                let golden = Self.fixtures.appendingPathComponent("billing-2026-10.\(format)")
                if ProcessInfo.processInfo.environment["LINKWRIGHT_WRITE_GOLDEN"] == "1" {
                    try reply.text.write(to: golden, atomically: true, encoding: .utf8)
                }
                #expect(reply.text == (try String(contentsOf: golden, encoding: .utf8)), "\(format) differs from \(golden.path)")
            }
            // Prices and the plan change after the month closed: the report does not.
            try await sql(endpoint, "UPDATE plan_unit_prices SET micros_per_unit = micros_per_unit * 2")
            try await sql(endpoint, "UPDATE tenants SET plan = 'agency' WHERE id = '\(owner.tenantID)'")
            for format in ["json", "csv", "html"] {
                #expect(try await api.call(.get, "/api/v1/billing/reports/2026-10?format=\(format)", token: owner.accessToken).text == first[format])
            }
            let list = try await api.call(.get, "/api/v1/billing/reports", token: owner.accessToken)
            #expect(list.items.first?["period"] as? String == "2026-10" && list.items.first?["total"] as? String == "$952.18")
        }
    }

    /// A client that asks with `Accept` and no `?format=` gets the rendering it asked for;
    /// `?format=` still wins when both are given.
    @Test func theReportHonoursTheAcceptHeader() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestApp.run(endpoint: endpoint) { api, _ in
            let owner = try await api.signup()
            try await fixtureMonth(endpoint, tenant: owner.tenantID)
            let path = "/api/v1/billing/reports/2026-10"
            func get(_ accept: String, _ query: String = "") async throws -> Reply {
                try await api.call(.get, path + query, token: owner.accessToken, headers: [.accept: accept])
            }
            let csv = try await get("text/csv")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.hasPrefix(BillingReport.csvHeader))
            let html = try await get("text/html,application/xhtml+xml,*/*;q=0.8")
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true && html.text.contains("<html"))
            #expect(try await get("application/json;q=0.5, text/csv").headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(try await get("*/*").headers[.contentType] == "application/json")
            #expect(try await get("image/png").headers[.contentType] == "application/json")
            #expect(try await get("text/csv", "?format=json").headers[.contentType] == "application/json")
        }
    }

    @Test func theCurrentMonthIsRunningTotalsAndOnlyManagersSeeBilling() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestApp.run(endpoint: endpoint) { api, _ in
            let owner = try await api.signup()
            let other = try await api.signup(tenant: "Other")
            try await sql(
                endpoint,
                """
                INSERT INTO cost_ledger (tenant_id, kind, quantity, unit, amount_micros, idempotency_key)
                VALUES ('\(owner.tenantID)', 'placement', 3, 'placement', 0, 'now-1')
                """)
            let current = BillingPeriod.containing(Date()).text
            let open = try await api.call(.get, "/api/v1/billing/reports/\(current)", token: owner.accessToken)
            #expect(open.status == .conflict && open.string("error_code") == "MONTH_OPEN")
            let usage = try await api.call(.get, "/api/v1/billing/usage", token: owner.accessToken)
            let lines = try #require(usage["lines"] as? [[String: Any]])
            #expect(
                lines.contains { $0["kind"] as? String == "placement" && $0["quantity"] as? Int == 3 && $0["amount_micros"] as? Int == 6_000_000 })
            // Another tenant's usage holds none of it.
            let theirs = try await api.call(.get, "/api/v1/billing/usage", token: other.accessToken)
            #expect((theirs["lines"] as? [[String: Any]])?.count == 1, "only the base line")
            let member = try await api.addUser(to: owner, role: "member")
            #expect(try await api.call(.get, "/api/v1/billing/usage", token: member.accessToken).status == .forbidden)
            let bad = try await api.call(.get, "/api/v1/billing/reports/2026-13", token: owner.accessToken)
            #expect(bad.status == .unprocessableContent && bad.string("field") == "period")
            let format = try await api.call(.get, "/api/v1/billing/reports/2026-10?format=pdf", token: owner.accessToken)
            #expect(format.status == .unprocessableContent && format.string("field") == "format")
        }
    }

    @Test func operatorsExportEveryTenantsReportOfAMonth() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestApp.run(endpoint: endpoint) { api, database in
            let a = try await api.signup(tenant: "Alpha")
            _ = try await api.signup(tenant: "=Beta")
            // Both existed in October for this test.
            try await sql(endpoint, "UPDATE tenants SET created_at = '2026-09-01'")
            let ops = try await AdminQueueTests().operatorToken(api, database)
            let export = try await api.call(.get, "/api/v1/admin/billing/reports/2026-10", token: ops)
            #expect(export.status == .ok && export.headers[.contentType]?.hasPrefix("text/csv") == true)
            let rows = export.text.split(separator: "\r\n")
            #expect(rows.first.map(String.init) == BillingReport.csvHeader)
            #expect(rows.contains { $0.contains(",Alpha,") } && rows.contains { $0.contains(",'=Beta,") }, "a formula-like name is defused")
            #expect(try await api.call(.get, "/api/v1/admin/billing/reports/2026-10", token: a.accessToken).status == .forbidden)
        }
    }
}

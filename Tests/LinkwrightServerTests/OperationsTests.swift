import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightServer
import LinkwrightStore
import LinkwrightTestSupport
import Testing

@Suite struct OperationsTests {
    @Test func metricsCountRequestsByRouteTemplateNotRawPath() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            _ = try await api.call(.delete, "/api/v1/users/\(UUID().uuidString)", token: owner.accessToken)
            _ = try await api.call(.get, "/api/v1/nope/\(UUID().uuidString)")
            let metrics = try await api.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains(#"http_requests_total{method="POST",route="/api/v1/auth/signup",status="201"} 1"#))
            #expect(metrics.text.contains(#"http_requests_total{method="DELETE",route="/api/v1/users/{id}",status="404"} 1"#))
            #expect(metrics.text.contains(#"route="unmatched""#))
            #expect(metrics.text.contains("http_request_duration_seconds_bucket"))
            #expect(!metrics.text.contains(owner.userID))
        }
    }

    @Test func aMetricsTokenGuardsMetrics() async throws {
        try await TestApp.run(metricsToken: "scrape-secret") { (api: API, _) async throws in
            #expect(try await api.call(.get, "/metrics").status == .unauthorized)
            #expect(try await api.call(.get, "/metrics", token: "wrong").status == .unauthorized)
            #expect(try await api.call(.get, "/metrics", token: "scrape-secret").status == .ok)
        }
    }

    @Test func readinessFollowsTheDatabaseAndRecoversWithoutARestart() async throws {
        let dir = try TestDatabase.temporaryDirectory("lw-ready")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cluster = try EmbeddedPostgres(dataDirectory: dir, logger: TestDatabase.logger)
        try await cluster.start()
        do {
            try await Migrator(endpoint: cluster.endpoint, migrations: TestDatabase.migrations(), logger: TestDatabase.logger).migrate()
            try await TestApp.run(endpoint: cluster.endpoint) { api, _ in
                #expect(try await api.call(.get, "/readyz").status == .ok)
                try await cluster.stop()
                let down = try await api.call(.get, "/readyz")
                #expect(down.status == .serviceUnavailable)
                #expect(down.string("error_code") == "SERVICE_UNAVAILABLE")
                #expect(try await api.call(.get, "/healthz").status == .ok)
                try await cluster.start()
                var status = HTTPResponse.Status.serviceUnavailable
                for _ in 0..<20 where status != .ok {
                    status = try await api.call(.get, "/readyz").status
                    if status != .ok { try await Task.sleep(for: .milliseconds(250)) }
                }
                #expect(status == .ok)
            }
        } catch {
            try? await cluster.stop()
            throw error
        }
        try await cluster.stop()
    }
}

@Suite struct OperatorTests {
    @Test func operatorsReachAdminRoutesAndTenantUsersGet403() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestApp.run(endpoint: endpoint) { api, database in
            let owner = try await api.signup(tenant: "Visible Tenant")
            _ = try await AccountRepository(database: database).createOperator(
                email: EmailAddress("ops@linkwright.test")!, passwordHash: PasswordHasher().hash("operator passphrase"))
            let login = try await api.call(.post, "/api/v1/auth/login", json: ["email": "ops@linkwright.test", "password": "operator passphrase"])
            #expect(login.status == .ok)
            let token = try #require(login.string("access_token"))
            let tenants = try await api.call(.get, "/api/v1/admin/tenants", token: token)
            #expect(tenants.status == .ok)
            #expect(tenants.items.contains { $0["id"] as? String == owner.tenantID })
            #expect(try await api.call(.get, "/api/v1/me", token: token).string("role") == "operator")
            #expect(try await api.call(.get, "/api/v1/admin/tenants", token: owner.accessToken).status == .forbidden)
            // Operators are not in any tenant.
            #expect(try await api.call(.get, "/api/v1/users", token: token).status == .forbidden)
            // An operator's email cannot also sign up as a tenant user.
            let clash = try await api.call(
                .post, "/api/v1/auth/signup", json: ["email": "ops@linkwright.test", "password": "correct horse battery", "tenant_name": "X"])
            #expect(clash.status == .conflict)
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import LinkwrightCoordination
import LinkwrightCore
@testable import LinkwrightServer
import LinkwrightStore
import LinkwrightTestSupport
import NIOPosix
import Testing

/// Walks every route the router serves, so a route added tomorrow cannot be left open: the
/// group it joins decides who may call it, and these checks cover every group.
@Suite struct RouteAuthorizationTests {
    /// Routes anyone may call, or that read the principal themselves (`/me` serves tenants and
    /// operators alike), or whose signed link is the permission (an export's download). Everything
    /// else is a tenant route or an operator route.
    static let open: Set<String> = [
        "GET /healthz", "GET /readyz", "GET /metrics", "GET /api/v1/openapi.json", "GET /api/v1/me",
        "POST /api/v1/auth/signup", "POST /api/v1/auth/login", "POST /api/v1/auth/refresh", "POST /api/v1/auth/logout",
        "GET /api/v1/prospecting/downloads/{token}",
    ]

    struct Route: CustomStringConvertible {
        let method: HTTPRequest.Method
        let template: String
        var description: String { "\(method.rawValue) \(template)" }
        var isAdmin: Bool { template.hasPrefix("/api/v1/admin/") }
        /// The template with every parameter filled in with a value of the right shape.
        var path: String {
            template.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
                .replacingOccurrences(of: "{item_id}", with: UUID().uuidString.lowercased())
                .replacingOccurrences(of: "{export_id}", with: UUID().uuidString.lowercased())
                .replacingOccurrences(of: "{lane}", with: "normal")
                .replacingOccurrences(of: "{period}", with: "2020-01")
        }
    }

    func routes() async throws -> [Route] {
        let hashing = PasswordHashing(threads: 1)
        let router = buildRouter(
            database: Database(endpoint: try TestDatabase.adminEndpoint(), logger: TestDatabase.logger),
            tokens: try await AccessTokens(secret: TestApp.jwtSecret), hashing: hashing, secrets: TestApp.secretKeys, metrics: AppMetrics(),
            metricsToken: nil,
            coordination: Coordination(redis: nil, logger: TestDatabase.logger))
        try await hashing.pool.shutdownGracefully()
        let all = router.routes.map { Route(method: $0.method, template: "/" + String(describing: $0.path).drop { $0 == "/" }) }
        return all.filter { !Self.open.contains($0.description) }
    }

    @Test func everyRouteRefusesCallersOutsideItsGroup() async throws {
        let routes = try await routes()
        #expect(routes.contains { $0.isAdmin } && routes.contains { !$0.isAdmin }, "the walk found no routes to check")
        try await TestApp.run { api, database in
            _ = try await AccountRepository(database: database).createOperator(
                email: EmailAddress("walker@linkwright.test")!, passwordHash: PasswordHasher().hash("operator passphrase"))
            let login = try await api.call(.post, "/api/v1/auth/login", json: ["email": "walker@linkwright.test", "password": "operator passphrase"])
            let operatorToken = try #require(login.string("access_token"))
            let owner = try await api.signup()
            let readKey = try #require(
                try await api.call(
                    .post, "/api/v1/api-keys", json: ["name": "reporting", "scopes": ["read"]], token: owner.accessToken
                ).string("key"))

            for route in routes {
                if route.isAdmin {
                    let reply = try await api.call(route.method, route.path, json: [:], token: owner.accessToken)
                    #expect(reply.status == .forbidden, "a tenant owner got \(reply.status.code) from \(route)")
                } else {
                    let reply = try await api.call(route.method, route.path, json: [:], token: operatorToken)
                    #expect(reply.status == .forbidden, "an operator got \(reply.status.code) from \(route)")
                }
                if ![.get, .head, .options].contains(route.method) {
                    let reply = try await api.call(route.method, route.path, json: [:], token: readKey)
                    #expect(reply.status == .forbidden, "a read-scoped key got \(reply.status.code) from \(route)")
                    #expect(reply.string("error_code") == "FORBIDDEN", "\(route): \(reply.text)")
                }
            }
            // The walk changed nothing: the owner's tenant still has no campaigns or placements.
            #expect(try await api.call(.get, "/api/v1/campaigns", token: owner.accessToken).items.isEmpty)
            #expect(try await api.call(.get, "/api/v1/placements", token: owner.accessToken).items.isEmpty)
        }
    }
}

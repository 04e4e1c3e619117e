import Foundation
import HTTPTypes
import Hummingbird
@testable import LinkwrightServer
import LinkwrightStore
import LinkwrightTestSupport
import NIOPosix
import LinkwrightCoordination
import Testing

@Suite struct OpenAPITests {
    @Test func theDocumentDescribesExactlyTheRoutesTheRouterServes() async throws {
        let database = Database(endpoint: try TestDatabase.adminEndpoint(), logger: TestDatabase.logger)
        let hashing = PasswordHashing(threads: 1)
        let router = buildRouter(
            database: database, tokens: try await AccessTokens(secret: TestApp.jwtSecret), hashing: hashing,
            metrics: AppMetrics(), metricsToken: nil, coordination: Coordination(redis: nil, logger: TestDatabase.logger))
        try await hashing.pool.shutdownGracefully()

        let served = Set(router.routes.map { "\($0.method.rawValue) /\(String(describing: $0.path).drop { $0 == "/" })" })
            .subtracting(["GET /metrics", "GET /api/v1/openapi.json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let described = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(served == described, "served but undocumented: \(served.subtracting(described)); documented but not served: \(described.subtracting(served))")
    }

    @Test func theDocumentIsServed() async throws {
        try await TestApp.run { api, _ in
            let reply = try await api.call(.get, "/api/v1/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply.string("openapi") == "3.1.0")
        }
    }
}

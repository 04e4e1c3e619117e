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
            database: database, tokens: try await AccessTokens(secret: TestApp.jwtSecret), hashing: hashing, secrets: TestApp.secretKeys,
            metrics: AppMetrics(), metricsToken: nil, coordination: Coordination(redis: nil, logger: TestDatabase.logger))
        try await hashing.pool.shutdownGracefully()

        let served = Set(router.routes.map { "\($0.method.rawValue) /\(String(describing: $0.path).drop { $0 == "/" })" })
            .subtracting(["GET /metrics", "GET /api/v1/openapi.json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let described = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(
            served == described,
            "served but undocumented: \(served.subtracting(described)); documented but not served: \(described.subtracting(served))")
    }

    /// Client generators name methods after operationIds and group them by tag; a missing or
    /// repeated one produces a broken SDK, so every operation has both and ids are unique.
    @Test func everyOperationHasAUniqueOperationIdAndATag() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let declaredTags = Set(((document["tags"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
        var ids: [String] = []
        for (path, operations) in paths {
            for (method, value) in operations {
                let operation = try #require(value as? [String: Any], "\(method) \(path)")
                let id = operation["operationId"] as? String
                #expect(id?.isEmpty == false, "\(method.uppercased()) \(path) has no operationId")
                ids += id.map { [$0] } ?? []
                let tags = operation["tags"] as? [String] ?? []
                #expect(!tags.isEmpty && Set(tags).isSubset(of: declaredTags), "\(method.uppercased()) \(path) has tags \(tags)")
            }
        }
        #expect(Set(ids).count == ids.count, "repeated operationIds: \(Dictionary(grouping: ids, by: { $0 }).filter { $1.count > 1 }.keys)")
    }

    @Test func theDocumentIsServed() async throws {
        try await TestApp.run { api, _ in
            let reply = try await api.call(.get, "/api/v1/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply.string("openapi") == "3.1.0")
        }
    }
}

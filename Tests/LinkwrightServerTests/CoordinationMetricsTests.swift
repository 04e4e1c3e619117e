import Foundation
import HTTPTypes
import LinkwrightCoordination
import Logging
import Testing

@Suite struct CoordinationMetricsTests {
    @Test func operatorsSeeWhenRedisIsAwayAndLimitsAreLocal() async throws {
        let logger = Logger(label: "test")
        let dead = Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: "redis://127.0.0.1:1/0"), logger: logger), logger: logger)
        try await TestApp.run(coordination: dead) { api, _ in
            // The sample line only: the HELP line also reads "…degraded 1 while Redis…".
            func sample() async throws -> String? {
                try await api.call(.get, "/metrics").text.split(separator: "\n").first { $0.hasPrefix("linkwright_coordination_degraded ") }.map(String.init)
            }
            let before = try await sample()
            #expect(before == "linkwright_coordination_degraded 0.0")
            _ = await dead.rateLimiter.decide(key: "probe", limit: RateLimit(limit: 10, period: .seconds(60)))
            let after = try await sample()
            #expect(after == "linkwright_coordination_degraded 1.0")
        }
    }
}

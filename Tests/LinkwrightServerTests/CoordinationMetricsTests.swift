import Foundation
import HTTPTypes
import LinkwrightCoordination
import Logging
import LinkwrightTestSupport
import Testing

@Suite struct CoordinationMetricsTests {
    @Test func operatorsSeeWhenRedisIsAwayAndLimitsAreLocal() async throws {
        let logger = Logger(label: "test")
        let dead = Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: "redis://127.0.0.1:1/0"), logger: logger), logger: logger)
        try await TestApp.run(coordination: dead, coordinationProbeInterval: .milliseconds(100)) { api, _ in
            // The sample line only: the HELP line also reads "…degraded 1 while Redis…".
            func sample() async throws -> String? {
                try await api.call(.get, "/metrics").text.split(separator: "\n").first { $0.hasPrefix("linkwright_coordination_degraded ") }.map(
                    String.init)
            }
            // Redis is dead from the start: the background probe says so before any request
            // needs Redis (it used to read 0 until one did, issue 12).
            var seen: String?
            for _ in 0..<50 where seen != "linkwright_coordination_degraded 1.0" {
                seen = try await sample()
                if seen != "linkwright_coordination_degraded 1.0" { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(seen == "linkwright_coordination_degraded 1.0")
            _ = await dead.rateLimiter.decide(key: "probe", limit: RateLimit(limit: 10, period: .seconds(60)))
            #expect(try await sample() == "linkwright_coordination_degraded 1.0")
        }
    }

    /// A quiet system: nothing uses Redis, yet the gauge must drop once Redis is back, or the
    /// alert keeps firing until traffic happens to return.
    @Test func theDegradedGaugeClearsWhenRedisComesBackWithNoTraffic() async throws {
        let logger = Logger(label: "test")
        let redis = try RedisServer(port: RedisServer.freePort())
        defer { redis.kill() }
        let coordination = Coordination(
            redis: RedisClient(endpoint: try RedisEndpoint(url: "redis://127.0.0.1:\(redis.port)/0"), logger: logger), logger: logger)
        try await TestApp.run(coordination: coordination, coordinationProbeInterval: .milliseconds(200)) { api, _ in
            func sample() async throws -> String? {
                try await api.call(.get, "/metrics").text.split(separator: "\n").first { $0.hasPrefix("linkwright_coordination_degraded ") }.map(
                    String.init)
            }
            redis.kill()
            _ = await coordination.rateLimiter.decide(key: "probe", limit: RateLimit(limit: 10, period: .seconds(60)))
            #expect(try await sample() == "linkwright_coordination_degraded 1.0")
            try redis.start()
            // No request touches Redis from here on; only the background probe can notice.
            var cleared = false
            for _ in 0..<50 where !cleared {
                try await Task.sleep(for: .milliseconds(200))
                cleared = try await sample() == "linkwright_coordination_degraded 0.0"
            }
            #expect(cleared, "the gauge still says degraded 10 s after Redis came back")
        }
    }
}

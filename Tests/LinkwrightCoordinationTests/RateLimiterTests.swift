import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import LinkwrightCoordination
import LinkwrightTestSupport
import Logging
import NIOCore
import Testing

/// Against the real redis-server `ops/test` starts (`LINKWRIGHT_TEST_REDIS_URL`).
@Suite struct RateLimiterTests {
    static var redisURL: String? { ProcessInfo.processInfo.environment["LINKWRIGHT_TEST_REDIS_URL"] }
    let logger = Logger(label: "test")

    /// A generous command timeout: a loaded test machine must not look like a dead Redis.
    func client(_ url: String) throws -> RedisClient {
        RedisClient(endpoint: try RedisEndpoint(url: url), timeout: .seconds(2), logger: logger)
    }

    @Test func localGCRAAllowsTheLimitAndTellsWhenToComeBack() async {
        var clock = 1_000_000.0
        let box = ClockBox(clock)
        let limiter = LocalRateLimiter(now: { box.value })
        let limit = RateLimit(limit: 3, period: .seconds(60))
        var decisions: [RateDecision] = []
        for _ in 0..<4 { decisions.append(await limiter.decide(key: "k", limit: limit)) }
        #expect(decisions.map(\.allowed) == [true, true, true, false])
        #expect(decisions.map(\.remaining) == [2, 1, 0, 0])
        #expect(decisions[3].retryAfter == 20, "one request's share of a minute")
        clock += 20_000
        box.value = clock
        #expect(await limiter.decide(key: "k", limit: limit).allowed)
        #expect(await limiter.decide(key: "other", limit: limit).remaining == 2, "keys are separate")
    }

    @Test func redisEnforcesOneLimitAcrossClientsUnderConcurrency() async throws {
        guard let url = Self.redisURL else { return }
        let a = try client(url)
        let b = try client(url)
        defer {
            Task {
                await a.shutdown()
                await b.shutdown()
            }
        }
        let key = "test-\(UUID().uuidString)"
        let limit = RateLimit(limit: 50, period: .seconds(60))
        // Two "processes", 200 requests at once between them.
        let allowed = await withTaskGroup(of: Bool.self) { group in
            let processes = [Coordination(redis: a, logger: logger).rateLimiter, Coordination(redis: b, logger: logger).rateLimiter]
            for i in 0..<200 {
                let limiter = processes[i % 2]
                group.addTask { await limiter.decide(key: key, limit: limit).allowed }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 50)
    }

    @Test func anUnreachableRedisFallsBackConservativelyAndRecovers() async throws {
        guard let url = Self.redisURL else { return }
        let changes = ChangeLog()
        // A port nothing listens on stands in for a dead Redis.
        let dead = RedisClient(endpoint: try RedisEndpoint(url: "redis://127.0.0.1:1/0"), logger: logger)
        let coordination = Coordination(redis: dead, logger: logger, onChange: { changes.append($0) })
        let limit = RateLimit(limit: 10, period: .seconds(60))
        var allowed = 0
        for _ in 0..<10 where await coordination.rateLimiter.decide(key: "fallback", limit: limit).allowed { allowed += 1 }
        #expect(allowed == 5, "alone, a process keeps to half the limit")
        #expect(coordination.degraded)
        #expect(changes.values == [true])

        let live = Coordination(redis: try client(url), logger: logger, onChange: { changes.append($0) })
        #expect(await live.rateLimiter.decide(key: "fallback-\(UUID())", limit: limit).allowed)
        #expect(!live.degraded)
    }

    @Test func redisKilledAndRestartedUnderLoadNeverFailsADecision() async throws {
        guard Self.redisURL != nil else { return }
        let port = RedisServer.freePort()
        let server = try RedisServer(port: port)
        let changes = ChangeLog()
        let coordination = Coordination(redis: try client("redis://127.0.0.1:\(port)/0"), logger: logger, onChange: { changes.append($0) })
        let limit = RateLimit(limit: 1_000_000, period: .seconds(60))
        func burst() async -> Int {
            await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 { group.addTask { await coordination.rateLimiter.decide(key: "load", limit: limit).allowed } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
        #expect(await burst() == 50)
        server.kill()
        #expect(await burst() == 50, "decisions go on from this process while Redis is gone")
        #expect(coordination.degraded)
        try server.start()
        defer { server.kill() }
        var recovered = false
        for _ in 0..<100 where !recovered {
            _ = await burst()
            recovered = !coordination.degraded
            if !recovered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(recovered, "back on Redis once it answers again")
        // Degraded once Redis died, recovered at the end (a loaded machine may flap in between:
        // a command past its timeout counts as Redis being away).
        #expect(changes.values.first == true && changes.values.last == false, "\(changes.values)")
    }

    @Test func aLimitTooLargeToReachStillDecidesThroughRedis() async throws {
        guard let url = Self.redisURL else { return }
        let coordination = Coordination(redis: try client(url), logger: logger)
        // One request's share of the period is far below a millisecond: the key's expiry must
        // still be valid, or Redis refuses the script and the process falls back.
        let limit = RateLimit(limit: 1_000_000_000, period: .seconds(60))
        for _ in 0..<20 { #expect(await coordination.rateLimiter.decide(key: "huge-\(UUID())", limit: limit).allowed) }
        #expect(!coordination.degraded)
    }

    @Test func urlsAreReadWithTheirPasswordAndDatabase() throws {
        let endpoint = try RedisEndpoint(url: "redis://:s%40cret@cache.internal:6380/3")
        #expect(endpoint.host == "cache.internal" && endpoint.port == 6380 && endpoint.password == "s@cret" && endpoint.database == 3)
        #expect(throws: RedisError.self) { try RedisEndpoint(url: "http://cache/0") }
        #expect(throws: RedisError.self) { try RedisEndpoint(url: "redis://cache/zero") }
    }
}

final class ClockBox: @unchecked Sendable {
    var value: Double
    init(_ value: Double) { self.value = value }
}

final class ChangeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Bool] = []
    func append(_ value: Bool) {
        lock.lock()
        stored.append(value)
        lock.unlock()
    }
    var values: [Bool] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

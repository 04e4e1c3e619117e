import Foundation
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightEngines
import Logging
import NIOCore
import Testing

/// Connected accounts' action limits, shared by worker processes through the real Redis
/// `ops/test` starts, and kept by one process alone without it.
@Suite struct ActionLimiterTests {
    let logger = Logger(label: "test")

    func coordination() throws -> Coordination {
        let url = try #require(RateLimiterTests.redisURL, "LINKWRIGHT_TEST_REDIS_URL: ops/test starts a Redis")
        return Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: url), timeout: .seconds(2), logger: logger), logger: logger)
    }

    @Test func twoProcessesShareOneAccountsHourAndTheRestWaitForTheNextHour() async throws {
        let a = try coordination().actionLimiter
        let b = try coordination().actionLimiter
        let account = UUID()
        let limit = ActionLimit(perHour: 3, perDay: 10)
        let decisions = await withTaskGroup(of: ActionDecision.self) { group in
            for i in 0..<8 { group.addTask { await (i % 2 == 0 ? a : b).take(.publish, connectionID: account, limit: limit, spacing: .zero) } }
            return await group.reduce(into: [ActionDecision]()) { $0.append($1) }
        }
        #expect(decisions.filter(\.allowed).count == 3, "three an hour, whichever process acts")
        let refused = decisions.filter { !$0.allowed }
        #expect(refused.allSatisfy { $0.refusal == .hour && $0.retryAfter > .zero && $0.retryAfter <= .seconds(3600) })
        // Another action of the same account, and the same action of another account, are their own.
        #expect(await a.take(.comment, connectionID: account, limit: limit, spacing: .zero).allowed)
        #expect(await b.take(.publish, connectionID: UUID(), limit: limit, spacing: .zero).allowed)

        let usage = await b.usage(connectionID: account, actions: [.publish, .comment])
        #expect(usage.counts[.publish] == ActionUsage.Counts(thisHour: 3, today: 3))
        #expect(usage.counts[.comment] == ActionUsage.Counts(thisHour: 1, today: 1))
        #expect(usage.hourResetsAt > Date() && usage.hourResetsAt <= Date().addingTimeInterval(3600))
        #expect(usage.dayResetsAt >= usage.hourResetsAt)
    }

    @Test func aDaysLimitHoldsWhenTheHourWouldAllowMore() async throws {
        let limiter = try coordination().actionLimiter
        let account = UUID()
        let limit = ActionLimit(perHour: 5, perDay: 2)
        var refusals: [ActionDecision.Refusal?] = []
        for _ in 0..<3 { refusals.append(await limiter.take(.reply, connectionID: account, limit: limit, spacing: .zero).refusal) }
        #expect(refusals == [nil, nil, .day])
    }

    @Test func actionsAreSpacedAndAPlatformsHoldIsKept() async throws {
        let limiter = try coordination().actionLimiter
        let account = UUID()
        let limit = ActionLimit(perHour: 10, perDay: 10)
        #expect(await limiter.take(.publish, connectionID: account, limit: limit, spacing: .milliseconds(800)).allowed)
        let tooSoon = await limiter.take(.publish, connectionID: account, limit: limit, spacing: .milliseconds(800))
        #expect(tooSoon.refusal == .spacing && tooSoon.retryAfter <= .milliseconds(800))
        try await Task.sleep(for: .milliseconds(900))
        #expect(await limiter.take(.publish, connectionID: account, limit: limit, spacing: .zero).allowed)

        // The platform said none are left until a moment from now: nothing before then.
        let until = Date().addingTimeInterval(5)
        await limiter.hold(connectionID: account, until: until)
        let held = await limiter.take(.publish, connectionID: account, limit: limit, spacing: .zero)
        #expect(held.refusal == .spacing && held.retryAfter > .seconds(3))
        let next = try #require(await limiter.usage(connectionID: account, actions: [.publish]).nextActionAt)
        #expect(abs(next.timeIntervalSince(until)) < 1)
        #expect(await limiter.usage(connectionID: account, actions: [.publish]).counts[.publish]?.thisHour == 2, "refusals take nothing")
    }

    @Test func withoutRedisOneProcessCountsAloneAndWithRedisGoneItKeepsToHalf() async throws {
        let alone = Coordination(redis: nil, logger: logger).actionLimiter
        let account = UUID()
        var allowed = 0
        for _ in 0..<5 where await alone.take(.comment, connectionID: account, limit: ActionLimit(perHour: 4, perDay: 9), spacing: .zero).allowed {
            allowed += 1
        }
        #expect(allowed == 4)

        let dead = RedisClient(endpoint: try RedisEndpoint(url: "redis://127.0.0.1:1/0"), logger: logger)
        let degraded = Coordination(redis: dead, logger: logger)
        allowed = 0
        for _ in 0..<5
        where await degraded.actionLimiter.take(.comment, connectionID: account, limit: ActionLimit(perHour: 4, perDay: 9), spacing: .zero)
            .allowed
        {
            allowed += 1
        }
        #expect(allowed == 2, "other processes may be acting meanwhile: half")
        #expect(degraded.degraded)
    }
}

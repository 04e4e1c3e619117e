import Foundation
import LinkwrightCoordination
import LinkwrightEngines
import Logging
import NIOCore
import Testing

@Suite struct SharedLimitsTests {
    let logger = Logger(label: "test")

    func coordination() throws -> Coordination? {
        guard let url = RateLimiterTests.redisURL else { return nil }
        return Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: url), timeout: .seconds(2), logger: logger), logger: logger)
    }

    @Test func twoProcessesShareOneDomainsPace() async throws {
        guard let a = try coordination(), let b = try coordination() else { return }
        let suffixes = PublicSuffixList(text: "com\n")
        let domain = "site-\(UUID().uuidString.prefix(8)).com"
        let first = SharedPoliteness(coordination: a, interval: .milliseconds(600), suffixes: suffixes)
        let second = SharedPoliteness(coordination: b, interval: .milliseconds(600), suffixes: suffixes)
        // Slots are compared on Redis's clock, so a slow machine cannot make this pass or fail.
        let slots = try await withThrowingTaskGroup(of: Int64.self) { group in
            for i in 0..<4 { group.addTask { try await (i % 2 == 0 ? first : second).reserve(host: "www.\(domain)").slot } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }.sorted()
        }
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $1 - $0 >= 600 }, "four requests 600 ms apart, whichever process sends them: \(slots)")
        #expect(try await first.reserve(host: "other-\(domain)").wait == .zero, "another site is not held back")

        let next = try await second.reserve(host: "blog.\(domain)")
        #expect(next.slot - slots.last! >= 600 && next.wait > .zero, "a fifth request, from any subdomain, queues behind them")
        await first.waitForTurn(host: "fresh-\(domain)")  // a free slot: goes at once
        #expect(!a.degraded && !b.degraded)
    }

    @Test func aCapHoldsAcrossProcessesAndACrashedHoldersSlotComesBack() async throws {
        guard let a = try coordination(), let b = try coordination() else { return }
        let name = "scraper-\(UUID().uuidString.prefix(8))"
        let capA = ConcurrencyCap(name: name, limit: 3, lease: .seconds(4), coordination: a)
        let capB = ConcurrencyCap(name: name, limit: 3, lease: .seconds(4), coordination: b)
        var tokens: [String?] = []
        for i in 0..<5 { tokens.append(await (i % 2 == 0 ? capA : capB).tryAcquire()) }
        #expect(tokens.compactMap { $0 }.count == 3)
        await capA.release(tokens[0]!)
        #expect(await capB.tryAcquire() != nil, "a released slot is free at once")
        #expect(await capB.tryAcquire() == nil)
        try await Task.sleep(for: .milliseconds(4200))  // the holders "crash": nobody releases
        #expect(await capA.tryAcquire() != nil, "expired leases give their slots back")
    }
}

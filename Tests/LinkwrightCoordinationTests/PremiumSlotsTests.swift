import Foundation
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightEngines
import LinkwrightTestSupport
import Logging
import NIOCore
import NIOPosix
import Testing

/// The premium provider's concurrency, shared by every job and process: crawls from two
/// "processes" (two coordinations on one Redis) never have more requests at the provider than
/// the cap, and every page is still fetched (above the cap requests wait; none is dropped).
@Suite struct PremiumSlotsTests {
    @Test func premiumRequestsFromManyJobsAndProcessesStayUnderTheCapAndNoneIsDropped() async throws {
        let logger = Logger(label: "test")
        guard let url = RateLimiterTests.redisURL else { return }
        let processes = try (0..<2).map { _ in
            Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: url), timeout: .seconds(2), logger: logger), logger: logger)
        }
        let name = "premium-\(UUID().uuidString.prefix(8))"
        try await TestSiteFarm.run { farm in
            let domains = (0..<6).map { "slow\($0).test" }
            for domain in domains { farm.add(domain, TestSiteFarm.site(pages: 3, origin: "http://\(domain):\(farm.port)")) }
            farm.premiumDelay(.milliseconds(150))
            let fetcher = farm.fetcher
            let crawlers = processes.map { coordination in
                ProspectCrawler(
                    fetcher: fetcher, parsing: .singleton, premium: ScrapingBee(fetcher: fetcher, apiKey: TestSiteFarm.apiKey, baseURL: farm.origin),
                    slots: CappedPremiumSlots(cap: ConcurrencyCap(name: name, limit: 2, lease: .seconds(30), coordination: coordination)),
                    origins: farm.origins)
            }
            let spec = ProspectJobSpec(keywords: ["widgets"], mode: .premiumOnly, maxPagesPerDomain: 3, fullCrawlThreshold: 3, clientDomain: nil)
            let results = await withTaskGroup(of: ProspectDomainResult.self) { group in
                for (index, domain) in domains.enumerated() {
                    group.addTask { await crawlers[index % 2].crawl(domain: domain, position: index, jobID: UUID(), spec: spec) }
                }
                return await group.reduce(into: [ProspectDomainResult]()) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0.outcome == .crawled && $0.pages == 3 }, "every page fetched: \(results.map(\.pages))")
            #expect(farm.premiumRequests.count == 18)
            #expect(farm.premiumPeak <= 2, "at most two requests at the provider at once, across both processes: \(farm.premiumPeak)")
            #expect(farm.premiumPeak == 2, "and the cap is used")
        }
    }
}

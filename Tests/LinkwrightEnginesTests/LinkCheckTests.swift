import Foundation
import LinkwrightCore
import LinkwrightEngines
import NIOPosix
import LinkwrightTestSupport
import Testing

@Suite struct LinkCheckTests {
    /// The time limit is far above what any page here needs, so a loaded CI machine's stalls
    /// cannot turn an answer into `unverifiable`; the one test of the limit passes a short one.
    func checker(_ site: TestSite, politeness: (any Politeness)? = nil, totalTimeout: Duration = .seconds(30)) -> LinkChecker {
        var limits = FetchLimits()
        limits.totalTimeout = totalTimeout
        limits.maxBodyBytes = 256 * 1024
        let fetcher = Fetcher(
            userAgent: Fetcher.userAgent(version: "test", homepage: "https://linkwright.test"),
            resolver: site.resolver, policy: site.policy, limits: limits, politeness: politeness)
        return LinkChecker(fetcher: fetcher, robots: RobotsCache(fetcher: fetcher, politeness: politeness), parsing: NIOThreadPool.singleton)
    }

    func check(_ site: TestSite, _ path: String, target: String = TestSite.target, anchor: String? = nil) async -> LinkCheckResult {
        await checker(site).check(LinkCheckRequest(sourceURL: site.url(path), targetURL: target, expectedAnchor: anchor))
    }

    @Test func everyCaseGetsTheAnswerACarefulPersonWouldGive() async throws {
        try await TestSite.run { site in
            let expected: [(String, PlacementState)] = [
                ("/follow", .live), ("/nofollow", .liveNofollow), ("/ugc", .liveNofollow), ("/sponsored", .liveNofollow),
                ("/several-rel", .liveNofollow), ("/uppercase", .live), ("/image", .live),
                ("/comment", .missing), ("/script", .missing), ("/template", .missing), ("/javascript-inserted", .missing),
                ("/span-href", .missing), ("/javascript-href", .missing),
                ("/meta-noindex", .notIndexable), ("/googlebot-noindex", .notIndexable), ("/x-robots", .notIndexable),
                ("/x-robots-googlebot", .notIndexable), ("/x-robots-otherbot", .live),
                ("/canonical-elsewhere", .notIndexable), ("/canonical-self", .live), ("/canonical-header", .notIndexable),
                ("/googlebot-blocked", .notIndexable), ("/private/page", .blocked),
                ("/redirect-1", .live), ("/loop-a", .unverifiable),
                ("/redirect-loopback", .unverifiable), ("/redirect-metadata", .unverifiable),
                ("/gone-404", .sourceGone), ("/gone-410", .sourceGone), ("/error-500", .unverifiable),
                ("/challenge-403", .unverifiable), ("/challenge-200", .unverifiable), ("/too-many-requests", .unverifiable),
                ("/oversized", .unverifiable), ("/gzip-bomb", .unverifiable), ("/plain-text", .unverifiable),
            ]
            for (path, state) in expected {
                let result = await check(site, path)
                #expect(result.state == state, "\(path): \(result.state.rawValue) (\(result.detail))")
            }
        }
    }

    @Test func aPageSlowerThanTheTimeLimitIsUnverifiable() async throws {
        try await TestSite.run { site in
            // /slow answers after 6 s.
            let result = await checker(site, totalTimeout: .seconds(1))
                .check(LinkCheckRequest(sourceURL: site.url("/slow"), targetURL: TestSite.target, expectedAnchor: nil))
            #expect(result.state == .unverifiable, "\(result.state.rawValue) (\(result.detail))")
        }
    }

    @Test func theCheckRecordsWhatAPersonWouldLookAt() async throws {
        try await TestSite.run { site in
            let redirected = await check(site, "/redirect-1")
            #expect(redirected.httpStatus == 200)
            #expect(redirected.finalURL == site.url("/follow"))
            #expect(redirected.redirectChain == [site.url("/redirect-1"), site.url("/redirect-2")])
            #expect(redirected.linkFound && redirected.anchorText == "Best widgets" && redirected.rel == ["follow"])
            #expect(redirected.indexable == true && redirected.responseTimeMS != nil)

            let qualified = await check(site, "/several-rel")
            #expect(qualified.rel == ["nofollow", "ugc"])
            #expect(await check(site, "/image").anchorText == "Widget logo")
            #expect(await check(site, "/uppercase").anchorText == "Best widgets", "whitespace collapsed")

            let canonical = await check(site, "/canonical-elsewhere")
            #expect(canonical.canonical == site.url("/somewhere-else"))
            #expect(canonical.linkFound, "the link is there; the page is just not indexable")

            let refused = await check(site, "/redirect-metadata")
            #expect(refused.detail.contains("169.254.169.254"), "\(refused.detail)")
        }
    }

    @Test func relativeLinksResolveAgainstThePageAndItsBase() async throws {
        try await TestSite.run { site in
            #expect(await check(site, "/relative", target: site.url("/landing")).state == .live)
            #expect(await check(site, "/base", target: "http://other.test:\(site.port)/dir/page").state == .live)
            #expect(await check(site, "/base", target: site.url("/page")).state == .missing, "the base wins over the page URL")
        }
    }

    @Test func aFailingRobotsTxtClosesTheSiteAndAMissingOneOpensIt() async throws {
        try await TestSite.run { site in
            let checker = checker(site)
            let broken = await checker.check(LinkCheckRequest(sourceURL: "http://broken.test:\(site.port)/follow", targetURL: TestSite.target))
            #expect(broken.state == .blocked, "a 5xx robots.txt means nothing may be fetched: \(broken.detail)")
            let none = await checker.check(LinkCheckRequest(sourceURL: "http://norobots.test:\(site.port)/private/page", targetURL: TestSite.target))
            #expect(none.state == .live, "a 404 robots.txt means no rules: \(none.detail)")
            let big = "http://bigrobots.test:\(site.port)"
            #expect(
                await checker.check(LinkCheckRequest(sourceURL: big + "/follow", targetURL: TestSite.target)).state == .live,
                "a rule past the first 500 KiB is not read")
            #expect(
                await checker.check(LinkCheckRequest(sourceURL: big + "/private/page", targetURL: TestSite.target)).state == .blocked,
                "the rules within the first 500 KiB still hold")
        }
    }

    @Test func anExpectedAnchorThatChangedIsReported() async throws {
        try await TestSite.run { site in
            #expect(await check(site, "/anchor-changed", anchor: "Best widgets").state == .anchorChanged)
            #expect(await check(site, "/follow", anchor: "best  WIDGETS").state == .live, "case and spacing are not a change")
        }
    }

    @Test func retryAfterPushesTheSitesNextRequestBack() async throws {
        try await TestSite.run { site in
            let politeness = LocalPoliteness(interval: .milliseconds(10), suffixes: PublicSuffixList(text: ""))
            let checker = checker(site, politeness: politeness)
            _ = await checker.check(LinkCheckRequest(sourceURL: site.url("/too-many-requests"), targetURL: TestSite.target))
            let started = ContinuousClock.now
            await politeness.waitForTurn(host: "site.test")
            #expect(ContinuousClock.now - started >= .seconds(2), "Retry-After: 3 holds the next request back")
        }
    }
}

import Foundation
import LinkwrightCore
import LinkwrightTestSupport
import NIOPosix
import Testing

@testable import LinkwrightEngines

/// Crawling a domain for a job's keywords, against the local site farm and its ScrapingBee
/// stand-in: how far a site is read, what is matched, what is reported when a site cannot be
/// read, and when the premium provider is used and what it costs.
@Suite struct ProspectCrawlerTests {
    static let keywords = ["widgets", "CRM", "project management"]

    static func spec(_ mode: ProspectMode = .freeOnly, pages: Int = 50, threshold: Int? = nil, client: String? = "client.example") -> ProspectJobSpec
    {
        ProspectJobSpec(keywords: keywords, mode: mode, maxPagesPerDomain: pages, fullCrawlThreshold: threshold ?? pages, clientDomain: client)
    }

    static func crawler(_ farm: TestSiteFarm, premium: Bool = true, key: String = TestSiteFarm.apiKey) -> ProspectCrawler {
        let fetcher = farm.fetcher
        return ProspectCrawler(
            fetcher: fetcher, parsing: .singleton, premium: premium ? ScrapingBee(fetcher: fetcher, apiKey: key, baseURL: farm.origin) : nil,
            origins: farm.origins, backoff: [.milliseconds(1), .milliseconds(2), .milliseconds(4)])
    }

    @Test func aSmallSiteIsCrawledCompletelyFromItsSitemapAndMatchesAreWholeWords() async throws {
        try await TestSiteFarm.run { farm in
            var site = TestSiteFarm.site(
                pages: 5, text: "Our CRM software beats the sCRaMble of spreadsheets.", origin: "http://small.test:\(farm.port)")
            site.pages["/p2"] = .init(
                html:
                    "<html><body><p>Project\n   management and <b>project management</b> tools.</p><a href=\"https://www.client.example/x\">x</a></body></html>"
            )
            // Not linked from anywhere: only the sitemap knows it.
            site.pages["/hidden"] = .init(html: "<html><body><p>Hidden widgets page</p></body></html>")
            site.files["/sitemap.xml"] = Array(
                (#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#
                    + ["/", "/p1", "/p2", "/p3", "/p4", "/hidden"].map { "<url><loc>http://small.test:\(farm.port)\($0)</loc></url>" }.joined()
                    + "</urlset>").utf8)
            farm.add("small.test", site)
            let result = await Self.crawler(farm).crawl(domain: "small.test", position: 0, jobID: UUID(), spec: Self.spec())
            #expect(result.outcome == .crawled)
            #expect(result.pages == 6)
            #expect(result.credits == 0 && result.premiumRequests == 0)
            let crm = result.matches.filter { $0.keyword == "CRM" }
            #expect(crm.count == 4, "every page but /p2 and /hidden says CRM once: \(crm.map(\.url))")
            #expect(crm.allSatisfy { $0.frequency == 1 && $0.crawlMethod == .direct && $0.httpStatus == 200 })
            let phrase = try #require(result.matches.first { $0.keyword == "project management" })
            #expect(phrase.frequency == 2, "across a line break and across markup")
            #expect(phrase.alreadyLinks, "the page links to www.client.example")
            #expect(result.matches.contains { $0.keyword == "widgets" && $0.url.hasSuffix("/hidden") })
            #expect(crm.allSatisfy { !$0.alreadyLinks })
        }
    }

    @Test func aLargeSiteGetsItsHomepageAndTheMostLinkedPagesUpToTheCap() async throws {
        try await TestSiteFarm.run { farm in
            let origin = "http://large.test:\(farm.port)"
            var site = TestSiteFarm.site(pages: 200, origin: origin)
            // The homepage links /p150 three times and /p7 twice: those come first.
            let home = site.pages["/"]!.html
            site.pages["/"]!.html = home.replacingOccurrences(
                of: "<h1>Home</h1>", with: #"<h1>Home</h1><a href="/p150">a</a><a href="/p150#top">b</a><a href="/p7">c</a>"#)
            // A sitemap index pointing at a gzipped sitemap of every page: 200 known pages > cap.
            let urls = site.pages.keys.sorted().map { "<url><loc>\(origin)\($0)</loc></url>" }.joined()
            site.files["/sitemap.xml"] = Array(
                #"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>\#(origin)/pages.xml.gz</loc></sitemap></sitemapindex>"#
                    .utf8)
            site.files["/pages.xml.gz"] = try gzip(#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\#(urls)</urlset>"#)
            farm.add("large.test", site)
            let result = await Self.crawler(farm).crawl(domain: "large.test", position: 3, jobID: UUID(), spec: Self.spec(pages: 10))
            #expect(result.outcome == .crawled)
            #expect(result.pages == 10)
            let order = result.matches.filter { $0.keyword == "widgets" }.map(\.url)
            #expect(order.first == origin + "/")
            #expect(Array(order.dropFirst().prefix(2)) == [origin + "/p150", origin + "/p7"], "\(order)")
        }
    }

    @Test func theSameLargeSiteIsReadCompletelyWhenTheJobRaisesTheThreshold() async throws {
        try await TestSiteFarm.run { farm in
            farm.add("many.test", TestSiteFarm.site(pages: 30, origin: "http://many.test:\(farm.port)"))
            let capped = await Self.crawler(farm).crawl(domain: "many.test", position: 0, jobID: UUID(), spec: Self.spec(pages: 10))
            let complete = await Self.crawler(farm).crawl(
                domain: "many.test", position: 0, jobID: UUID(), spec: Self.spec(pages: 10, threshold: 500))
            #expect(capped.pages == 10)
            #expect(complete.pages == 30)
        }
    }

    @Test func aSiteWhoseRobotsTxtDisallowsUsIsReportedOnceAndNeverRetried() async throws {
        try await TestSiteFarm.run { farm in
            var site = TestSiteFarm.site(pages: 3, origin: "http://closed.test:\(farm.port)")
            site.robots = "User-agent: LinkwrightBot\nDisallow: /\n"
            farm.add("closed.test", site)
            let result = await Self.crawler(farm).crawl(domain: "closed.test", position: 0, jobID: UUID(), spec: Self.spec())
            #expect(result.outcome == .disallowed)
            #expect(result.failureReason == "robots.txt disallowed")
            #expect(result.retryCount == 0)
            #expect(farm.requests(to: "closed.test") == 1, "robots.txt only")
        }
    }

    @Test func failingSitesAreTriedFourTimesAndReportedInWordsAPersonUnderstands() async throws {
        try await TestSiteFarm.run { farm in
            var down = TestSiteFarm.site(pages: 1, origin: "")
            down.pages["/"]!.status = 503
            farm.add("down.test", down)
            var forbidden = TestSiteFarm.site(pages: 1, origin: "")
            forbidden.blockDirect = 403
            farm.add("forbidden.test", forbidden)
            let crawler = Self.crawler(farm, premium: false)
            let dns = await crawler.crawl(domain: "no-such-domain.test", position: 0, jobID: UUID(), spec: Self.spec())
            #expect(dns.outcome == .failed)
            #expect(dns.failureReason == "DNS resolution failed")
            #expect(dns.retryCount == 3)
            #expect(dns.directRequests == 0, "a name that does not resolve costs nothing")
            let unavailable = await crawler.crawl(domain: "down.test", position: 0, jobID: UUID(), spec: Self.spec())
            #expect(unavailable.failureReason == "HTTP 503 Service Unavailable")
            #expect(unavailable.httpStatus == 503)
            #expect(unavailable.retryCount == 3)
            #expect(farm.requests(to: "down.test") == 8, "robots.txt and the homepage, four times")
            let refused = await crawler.crawl(domain: "forbidden.test", position: 0, jobID: UUID(), spec: Self.spec())
            #expect(refused.failureReason == "HTTP 403 Forbidden")
            #expect(refused.retryCount == 0, "a refusal is not retried")
        }
    }

    @Test func smartHybridFallsBackToTheProviderForBlockedAndJavaScriptPagesOnly() async throws {
        try await TestSiteFarm.run { farm in
            var app = TestSiteFarm.site(pages: 3, origin: "http://app.test:\(farm.port)")
            app.pages["/p2"] = .javascriptOnly("<p>Rendered widgets dashboard for CRM teams.</p>")
            farm.add("app.test", app)
            var walled = TestSiteFarm.site(pages: 1, text: "Widgets behind a bot wall", origin: "http://walled.test:\(farm.port)")
            walled.blockDirect = 403
            farm.add("walled.test", walled)
            let crawler = Self.crawler(farm)

            let result = await crawler.crawl(domain: "app.test", position: 0, jobID: UUID(), spec: Self.spec(.smartHybrid))
            #expect(result.pages == 3)
            #expect(result.directRequests >= 4, "robots.txt, sitemap and three pages directly")
            #expect(result.premiumRequests == 2 && result.jsRequests == 1, "the empty page plain, then rendered")
            #expect(result.credits == 6, "1 plain + 5 rendered, from Spb-cost")
            let rendered = try #require(result.matches.first { $0.url.hasSuffix("/p2") && $0.keyword == "CRM" })
            #expect(rendered.crawlMethod == .premiumJS)
            #expect(result.matches.filter { !$0.url.hasSuffix("/p2") }.allSatisfy { $0.crawlMethod == .direct })

            let blocked = await crawler.crawl(domain: "walled.test", position: 0, jobID: UUID(), spec: Self.spec(.smartHybrid))
            #expect(blocked.outcome == .crawled)
            #expect(blocked.matches.first?.crawlMethod == .premium && blocked.credits == 1)

            let free = await crawler.crawl(domain: "app.test", position: 0, jobID: UUID(), spec: Self.spec(.freeOnly))
            #expect(free.credits == 0 && free.premiumRequests == 0)
            #expect(!free.matches.contains { $0.url.hasSuffix("/p2") }, "free-only never sees what JavaScript draws")
        }
    }

    @Test func premiumOnlyRendersEveryPageAndWaitsWhenTheProviderIsBusy() async throws {
        try await TestSiteFarm.run { farm in
            farm.add("busy.test", TestSiteFarm.site(pages: 2, origin: "http://busy.test:\(farm.port)"))
            farm.premiumBusy(2)
            let result = await Self.crawler(farm).crawl(domain: "busy.test", position: 0, jobID: UUID(), spec: Self.spec(.premiumOnly))
            #expect(result.outcome == .crawled && result.pages == 2)
            #expect(result.premiumRequests == 2 && result.jsRequests == 2 && result.credits == 10)
            #expect(farm.premiumRequests.allSatisfy { $0.renderJS })
            #expect(result.matches.allSatisfy { $0.crawlMethod == .premiumJS })
        }
    }

    @Test func aWrongProviderKeyIsReportedAndCostsNothing() async throws {
        try await TestSiteFarm.run { farm in
            farm.add("key.test", TestSiteFarm.site(pages: 1, origin: ""))
            let result = await Self.crawler(farm, key: "wrong").crawl(domain: "key.test", position: 0, jobID: UUID(), spec: Self.spec(.premiumOnly))
            #expect(result.outcome == .failed)
            #expect(result.failureReason?.contains("refused the account") == true, "\(result.failureReason ?? "")")
            #expect(result.credits == 0)
        }
    }

    /// Gzip by the system's gzip, as a site's server would have made it.
    func gzip(_ text: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }
}

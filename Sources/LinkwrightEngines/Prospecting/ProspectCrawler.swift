import Foundation
import LinkwrightCore
import NIOHTTP1
import NIOPosix

/// What a job asks of each of its domains.
public struct ProspectJobSpec: Sendable, Equatable {
    public let keywords: [String]
    public let mode: ProspectMode
    public let maxPagesPerDomain: Int
    public let fullCrawlThreshold: Int
    public let clientDomain: String?

    public init(keywords: [String], mode: ProspectMode, maxPagesPerDomain: Int, fullCrawlThreshold: Int, clientDomain: String?) {
        self.keywords = keywords
        self.mode = mode
        self.maxPagesPerDomain = maxPagesPerDomain
        self.fullCrawlThreshold = fullCrawlThreshold
        self.clientDomain = clientDomain
    }
}

/// Crawls one domain for a job's keywords, as a careful person would: robots.txt first (a site
/// that does not want us is reported, never retried), the site's sitemaps to learn its size, then
/// every known page of a small site, or the homepage and the pages most linked from it on a large
/// one, up to the job's cap. Pages are fetched directly, through the premium provider, or
/// directly with the provider as a fallback, by the job's mode. A site that cannot be reached is
/// tried again after 1 s, 2 s and 4 s before it is reported failed, with a reason a person reads.
public struct ProspectCrawler: Sendable {
    let fetcher: Fetcher
    let parsing: NIOThreadPool
    let premium: (any PremiumProvider)?
    let slots: (any PremiumSlots)?
    /// Where a domain's site is looked for, in order (https, then http).
    let origins: @Sendable (String) -> [String]
    let backoff: [Duration]
    let now: @Sendable () -> Date

    public static let agent = "LinkwrightBot"
    /// A page with less visible text than this is drawn by JavaScript (an app's empty shell, a
    /// "Loading…"); a real page, however short, says more.
    static let almostEmpty = 25
    /// Sitemap files read per domain at most (an index and its first children).
    static let sitemapFetches = 10

    public init(
        fetcher: Fetcher, parsing: NIOThreadPool, premium: (any PremiumProvider)? = nil, slots: (any PremiumSlots)? = nil,
        origins: @escaping @Sendable (String) -> [String] = { ["https://\($0)", "http://\($0)"] },
        backoff: [Duration] = [.seconds(1), .seconds(2), .seconds(4)], now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.fetcher = fetcher
        self.parsing = parsing
        self.premium = premium
        self.slots = slots
        self.origins = origins
        self.backoff = backoff
        self.now = now
    }

    /// `charge` is told each premium request's credits as soon as the provider answered; a failure
    /// to record it ends the page (it is not read without being charged).
    public func crawl(
        domain: String, position: Int, jobID: UUID, spec: ProspectJobSpec, charge: @escaping @Sendable (Int) async throws -> Void = { _ in }
    ) async -> ProspectDomainResult {
        let charging = Charging(charge: charge)
        return await crawl(domain: domain, position: position, jobID: jobID, spec: spec, charging: charging)
    }

    struct Charging: Sendable {
        let charge: @Sendable (Int) async throws -> Void
    }

    func crawl(domain: String, position: Int, jobID: UUID, spec: ProspectJobSpec, charging: Charging) async -> ProspectDomainResult {
        var result = ProspectDomainResult(jobID: jobID, position: position, domain: domain)
        let matcher = KeywordMatcher(keywords: spec.keywords)
        for attempt in 0...backoff.count {
            if attempt > 0 {
                try? await Task.sleep(for: backoff[attempt - 1])
                result.retryCount = attempt
            }
            switch await reach(domain, spec: spec, charging: charging, result: &result) {
            case .reached(let site):
                await crawl(site, spec: spec, matcher: matcher, charging: charging, result: &result)
                return result
            case .disallowed:
                result.outcome = .disallowed
                result.failureReason = "robots.txt disallowed"
                return result
            case .unreachable(let reason, let status, let transient):
                result.outcome = .failed
                result.failureReason = reason
                result.httpStatus = status
                if !transient { return result }
            }
        }
        return result
    }

    struct Site {
        let origin: String
        let robots: RobotsTxt
        let homepage: ReadPage
    }

    /// A page fetched and read.
    struct ReadPage {
        let url: String
        let status: Int
        let method: CrawlMethod
        let page: ProspectPage
    }

    enum Reach {
        case reached(Site)
        case disallowed
        case unreachable(reason: String, status: Int?, transient: Bool)
    }

    /// robots.txt, then the homepage, at the first origin that answers.
    func reach(_ domain: String, spec: ProspectJobSpec, charging: Charging, result: inout ProspectDomainResult) async -> Reach {
        var failure = Reach.unreachable(reason: "DNS resolution failed", status: nil, transient: true)
        for origin in origins(domain) {
            let robots: RobotsTxt
            do {
                let page = try await fetcher.get(origin + "/robots.txt", bodyLimit: RobotsCache.sizeLimit, truncating: true)
                result.directRequests += 1
                switch page.status {
                case 200..<300: robots = RobotsTxt(String(decoding: page.body, as: UTF8.self))
                case 400..<500: robots = .allowAll
                default:
                    // RFC 9309: an unreachable robots.txt forbids everything; the site may recover.
                    failure = .unreachable(reason: Self.reason(status: page.status), status: page.status, transient: true)
                    continue
                }
            } catch {
                if case .connection = error { result.directRequests += 1 }
                failure = Self.unreachable(error, limits: fetcher.limits)
                continue
            }
            if let delay = robots.crawlDelay(agent: Self.agent), let host = URLComponents(string: origin)?.host {
                await fetcher.politeness?.setCrawlDelay(host: host, .milliseconds(Int64(delay * 1000)))
            }
            guard robots.allows("/", agent: Self.agent) else { return .disallowed }
            switch await read(origin + "/", spec: spec, charging: charging, result: &result) {
            case .success(let homepage):
                result.httpStatus = homepage.status
                guard (200..<300).contains(homepage.status) else {
                    let transient = homepage.status == 429 || homepage.status >= 500
                    return .unreachable(reason: Self.reason(status: homepage.status), status: homepage.status, transient: transient)
                }
                return .reached(Site(origin: origin, robots: robots, homepage: homepage))
            case .failure(let why):
                failure = why.reach
            }
        }
        return failure
    }

    /// Every known page of a small site; else the homepage and the pages most linked from the
    /// pages read so far (the homepage first), up to the cap.
    func crawl(_ site: Site, spec: ProspectJobSpec, matcher: KeywordMatcher, charging: Charging, result: inout ProspectDomainResult) async {
        let known = await knownPages(site)
        let complete = !known.isEmpty && known.count <= spec.fullCrawlThreshold
        let cap = complete ? spec.fullCrawlThreshold + 1 : spec.maxPagesPerDomain
        var visited: Set<String> = [Self.key(site.homepage.url)]
        var inlinks: [String: (count: Int, order: Int)] = [:]
        var order = 0
        func learn(_ page: ReadPage) {
            guard !complete else { return }
            for link in page.page.siteLinks where !visited.contains(Self.key(link)) {
                let key = Self.key(link)
                let entry = inlinks[key] ?? (0, order)
                inlinks[key] = (entry.count + 1, entry.order)
                if entry.count == 0 { order += 1 }
            }
        }
        var links: [String: String] = [:]
        record(site.homepage, matcher: matcher, into: &result)
        learn(site.homepage)
        for link in site.homepage.page.siteLinks { links[Self.key(link)] = link }
        var queue = complete ? known : []
        while result.pages < cap {
            let next: String
            if complete {
                guard !queue.isEmpty else { break }
                next = queue.removeFirst()
            } else {
                // The most linked page not read yet; ties go to the first seen.
                guard let best = inlinks.min(by: { ($0.value.count, -$0.value.order) > ($1.value.count, -$1.value.order) }) else { break }
                inlinks[best.key] = nil
                next = links[best.key] ?? best.key
            }
            guard visited.insert(Self.key(next)).inserted else { continue }
            guard site.robots.allows(LinkChecker.pathAndQuery(next), agent: Self.agent) else { continue }
            guard case .success(let page) = await read(next, spec: spec, charging: charging, result: &result), (200..<300).contains(page.status)
            else { continue }
            record(page, matcher: matcher, into: &result)
            for link in page.page.siteLinks where links[Self.key(link)] == nil { links[Self.key(link)] = link }
            learn(page)
        }
    }

    func record(_ page: ReadPage, matcher: KeywordMatcher, into result: inout ProspectDomainResult) {
        result.pages += 1
        let found = now()
        for match in matcher.matches(in: page.page.text) {
            result.matches.append(
                ProspectDomainResult.Match(
                    url: page.url, keyword: match.keyword, frequency: match.frequency, context: match.snippet, crawlMethod: page.method,
                    httpStatus: page.status, alreadyLinks: page.page.alreadyLinks, foundAt: found))
        }
    }

    /// The site's pages as its sitemaps list them (robots.txt's `Sitemap:` lines, else
    /// `/sitemap.xml`), on its own host, each once; stops counting past what a complete crawl
    /// would read.
    func knownPages(_ site: Site) async -> [String] {
        var pending = site.robots.sitemaps.isEmpty ? [site.origin + "/sitemap.xml"] : site.robots.sitemaps
        var fetched = 0
        var pages: [String] = []
        var seen: Set<String> = [Self.key(site.homepage.url)]
        let host = ProspectPage.bare(URLComponents(string: site.origin)?.host)
        while !pending.isEmpty, fetched < Self.sitemapFetches, pages.count <= 10_000 {
            let url = pending.removeFirst()
            fetched += 1
            guard let page = try? await fetcher.get(url), (200..<300).contains(page.status) else { continue }
            let body = page.body
            let limit = fetcher.limits.maxBodyBytes * 10
            // Inflating and parsing are CPU work: both on the parsing pool, off the event loop.
            let parsed = try? await parsing.runIfActive { () -> Sitemap? in
                guard Gzip.isCompressed(body) else { return Sitemap.parse(body) }
                return Gzip.inflate(body, limit: limit).flatMap(Sitemap.parse)
            }
            guard let sitemap = parsed ?? nil else { continue }
            pending.append(contentsOf: sitemap.sitemaps)
            for page in sitemap.pages where ProspectPage.bare(URLComponents(string: page)?.host) == host {
                if seen.insert(Self.key(page)).inserted { pages.append(page) }
            }
        }
        return pages
    }

    /// One page by the job's mode: direct, through the provider with JavaScript rendered, or
    /// direct with the provider when the site turns us away or the page is almost empty (and
    /// rendered when the provider's page is still almost empty).
    func read(
        _ url: String, spec: ProspectJobSpec, charging: Charging, result: inout ProspectDomainResult
    ) async -> Result<ReadPage, ReachFailure> {
        let client = spec.clientDomain ?? ""
        switch spec.mode {
        case .premiumOnly:
            return await viaProvider(url, renderJS: true, client: client, charging: charging, result: &result)
        case .freeOnly, .smartHybrid:
            var direct: Result<ReadPage, ReachFailure>
            do {
                let page = try await fetcher.get(url)
                result.directRequests += 1
                let read = await self.parse(page.body, url: page.finalURL, client: client)
                direct = .success(ReadPage(url: page.finalURL, status: page.status, method: .direct, page: read))
            } catch {
                if Self.reachedTheSite(error) { result.directRequests += 1 }
                direct = .failure(ReachFailure(Self.unreachable(error, limits: fetcher.limits)))
            }
            guard spec.mode == .smartHybrid, premium != nil, Self.needsProvider(direct) else { return direct }
            let plain = await viaProvider(url, renderJS: false, client: client, charging: charging, result: &result)
            guard case .success(let page) = plain, page.page.text.count < Self.almostEmpty else { return plain.orElse(direct) }
            return await viaProvider(url, renderJS: true, client: client, charging: charging, result: &result).orElse(plain)
        }
    }

    /// Through the provider, holding one of its shared slots; the target's pacing still applies.
    func viaProvider(
        _ url: String, renderJS: Bool, client: String, charging: Charging, result: inout ProspectDomainResult
    ) async -> Result<ReadPage, ReachFailure> {
        guard let premium else {
            return .failure(ReachFailure(.unreachable(reason: "no premium provider is configured", status: nil, transient: false)))
        }
        while true {
            if let host = URLComponents(string: url)?.host { await fetcher.politeness?.waitForTurn(host: host) }
            let token = await slots?.acquire()
            let outcome: Result<PremiumPage, PremiumFailure>
            do {
                outcome = .success(try await premium.fetch(url, renderJS: renderJS))
            } catch {
                outcome = .failure(error)
            }
            if let token { await slots?.release(token) }
            switch outcome {
            case .success(let page):
                result.premiumRequests += 1
                if renderJS { result.jsRequests += 1 }
                result.credits += page.credits
                do {
                    try await charging.charge(page.credits)
                } catch {
                    return .failure(ReachFailure(.unreachable(reason: "the credits could not be recorded: \(error)", status: nil, transient: true)))
                }
                let read = await parse(page.body, url: url, client: client)
                return .success(ReadPage(url: url, status: page.status, method: renderJS ? .premiumJS : .premium, page: read))
            case .failure(.busy(let wait)):
                try? await Task.sleep(for: wait)
                if Task.isCancelled { return .failure(ReachFailure(.unreachable(reason: "stopped", status: nil, transient: true))) }
            case .failure(let failure):
                return .failure(ReachFailure(.unreachable(reason: failure.description, status: nil, transient: false)))
            }
        }
    }

    func parse(_ body: [UInt8], url: String, client: String) async -> ProspectPage {
        (try? await parsing.runIfActive { ProspectPage.read(html: body, pageURL: url, clientDomain: client) })
            ?? ProspectPage(text: "", siteLinks: [], alreadyLinks: false)
    }

    /// Smart-hybrid asks the provider when the site turned us away (403, 429, 503), timed out,
    /// or answered a page with almost no visible text.
    static func needsProvider(_ direct: Result<ReadPage, ReachFailure>) -> Bool {
        switch direct {
        case .success(let page):
            return [403, 429, 503].contains(page.status) || ((200..<300).contains(page.status) && page.page.text.count < almostEmpty)
        case .failure(let failure):
            if case .unreachable(let reason, _, _) = failure.reach { return reason.hasPrefix("Timeout") }
            return false
        }
    }

    struct ReachFailure: Error {
        let reach: Reach
        init(_ reach: Reach) { self.reach = reach }
    }

    /// A request that reached a server (and so may be charged): not a DNS failure or a target
    /// refused before connecting.
    static func reachedTheSite(_ error: FetchFailure) -> Bool {
        switch error {
        case .unresolvable, .refusedTarget, .invalidURL: false
        default: true
        }
    }

    static func unreachable(_ error: FetchFailure, limits: FetchLimits) -> Reach {
        switch error {
        case .unresolvable: .unreachable(reason: "DNS resolution failed", status: nil, transient: true)
        case .timeout: .unreachable(reason: "Timeout after \(Int(limits.totalTimeout.inSeconds)) s", status: nil, transient: true)
        case .connection(let detail):
            .unreachable(
                reason: detail.localizedCaseInsensitiveContains("refused") ? "Connection refused" : "Connection failed: \(detail)", status: nil,
                transient: true)
        case .refusedTarget: .unreachable(reason: "The domain points to a private or reserved address", status: nil, transient: false)
        case .invalidURL: .unreachable(reason: "Not a valid web address", status: nil, transient: false)
        case .tooLarge(let limit): .unreachable(reason: "Page larger than \(limit / 1_048_576) MiB", status: nil, transient: false)
        case .tooManyRedirects, .redirectLoop: .unreachable(reason: "Too many redirects", status: nil, transient: false)
        }
    }

    /// "HTTP 403 Forbidden".
    static func reason(status: Int) -> String {
        let phrase = HTTPResponseStatus(statusCode: status).reasonPhrase
        return phrase.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(phrase)"
    }

    /// URLs equal as the verifier compares them (case of scheme and host, default ports, `www.`,
    /// trailing slash).
    static func key(_ url: String) -> String { LinkURL(url)?.description ?? url }
}

extension Result {
    /// This result when it succeeded, else `other`.
    func orElse(_ other: Result) -> Result {
        if case .success = self { return self }
        return other
    }
}

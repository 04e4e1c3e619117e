import Foundation
import LinkwrightCore
import NIOPosix

/// What was checked: a link from `sourceURL` to `targetURL`.
public struct LinkCheckRequest: Sendable {
    public var sourceURL: String
    public var targetURL: String
    public var expectedAnchor: String?
    public var equivalence: LinkURL.Equivalence

    public init(sourceURL: String, targetURL: String, expectedAnchor: String? = nil, equivalence: LinkURL.Equivalence = .init()) {
        self.sourceURL = sourceURL
        self.targetURL = targetURL
        self.expectedAnchor = expectedAnchor
        self.equivalence = equivalence
    }
}

/// Checks one placement the way a careful SEO would by hand: may we fetch it (robots.txt, our
/// own group), what came back, is the link in the page a browser builds, how is it qualified,
/// would Google index the page. Anything that hides the answer (a bot wall, an error, a limit)
/// is `unverifiable`, never a lost link.
public struct LinkChecker: Sendable {
    public static let ourAgent = "LinkwrightBot"
    let fetcher: Fetcher
    let robots: RobotsCache
    let parsing: NIOThreadPool
    let now: @Sendable () -> Date
    let bluesky: BlueskyPostCheck

    /// `blueskyAPI` is the AppView that Bluesky posts are checked through (their pages are drawn by
    /// JavaScript).
    public init(
        fetcher: Fetcher, robots: RobotsCache, parsing: NIOThreadPool, blueskyAPI: String = "https://public.api.bsky.app",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.fetcher = fetcher
        self.robots = robots
        self.parsing = parsing
        self.now = now
        self.bluesky = BlueskyPostCheck(fetcher: fetcher, api: PlatformURL.trimmed(blueskyAPI))
    }

    public func check(_ request: LinkCheckRequest) async -> LinkCheckResult {
        var result = LinkCheckResult(state: .unverifiable, detail: "", checkedAt: now())
        guard let target = LinkURL(request.targetURL, equivalence: request.equivalence) else {
            result.detail = "the target URL is not an http(s) URL"
            return result
        }
        if let post = BlueskyPostCheck.atURI(request.sourceURL) {
            await bluesky.check(post, target: target, request: request, into: &result)
            return result
        }
        let rules = await robots.robots(for: request.sourceURL)
        let pathAndQuery = Self.pathAndQuery(request.sourceURL)
        guard rules.allows(pathAndQuery, agent: Self.ourAgent) else {
            result.state = .blocked
            result.detail = "robots.txt does not allow \(Self.ourAgent) to fetch \(pathAndQuery)"
            return result
        }

        let page: FetchedPage
        do {
            page = try await fetcher.get(request.sourceURL)
        } catch {
            result.detail = "could not read the page: \(error)"
            return result
        }
        result.httpStatus = page.status
        result.finalURL = page.finalURL
        result.redirectChain = page.redirects
        result.responseTimeMS = Int(Double(page.elapsed.components.seconds) * 1000 + Double(page.elapsed.components.attoseconds) / 1e15)

        switch page.status {
        case 200..<300: break
        case 404, 410:
            result.state = .sourceGone
            result.detail = "the page answers \(page.status)"
            return result
        default:
            result.detail =
                page.status == 403 || page.status == 429
                ? "the site refused us (\(page.status)); a bot wall hides the page" : "the site answered \(page.status)"
            return result
        }
        let contentType = page.header("content-type").first?.lowercased() ?? "text/html"
        guard contentType.contains("html") else {
            result.detail = "the page is \(contentType), not HTML"
            return result
        }

        let body = page.body
        let finalURL = page.finalURL
        let analysis = (try? await parsing.runIfActive { PageAnalysis.analyze(html: body, pageURL: finalURL) }) ?? PageAnalysis()
        let matching = analysis.links.filter { LinkURL($0.url, equivalence: request.equivalence) == target }
        guard let link = matching.first(where: { $0.rel.isDisjoint(with: Self.qualifiers) }) ?? matching.first else {
            if Self.looksLikeChallenge(page, analysis: analysis) {
                result.detail = "the page is a bot challenge, not the content"
                return result
            }
            result.state = .missing
            result.detail = "no <a href> to the target in the page"
            return result
        }
        result.linkFound = true
        result.anchorText = link.anchorText
        let qualifiers = link.rel.intersection(Self.qualifiers).sorted()
        result.rel = qualifiers.isEmpty ? ["follow"] : qualifiers

        let noindex = await Indexability.reason(page: page, analysis: analysis, robots: robots)
        result.canonical = analysis.canonical ?? Indexability.canonicalHeader(page)
        result.indexable = noindex == nil
        result.notIndexableReason = noindex

        if let noindex {
            result.state = .notIndexable
            result.detail = noindex
        } else if let expected = request.expectedAnchor, Self.normaliseAnchor(expected) != Self.normaliseAnchor(link.anchorText) {
            result.state = .anchorChanged
            result.detail = "the anchor text is \"\(link.anchorText)\", not \"\(expected)\""
        } else if !qualifiers.isEmpty {
            result.state = .liveNofollow
            result.detail = "the link is there, marked \(qualifiers.joined(separator: ", "))"
        } else {
            result.state = .live
            result.detail = "the link is there and followed"
        }
        return result
    }

    static let qualifiers: Set<String> = ["nofollow", "ugc", "sponsored"]

    static func normaliseAnchor(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").lowercased()
    }

    public static func pathAndQuery(_ url: String) -> String {
        guard let c = URLComponents(string: url) else { return "/" }
        let path = c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath
        return path + (c.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// Signs of an interstitial that stands in for the page (a JavaScript or CAPTCHA challenge):
    /// then a missing link proves nothing.
    static func looksLikeChallenge(_ page: FetchedPage, analysis: PageAnalysis) -> Bool {
        if page.header("cf-mitigated").contains(where: { $0.lowercased().contains("challenge") }) { return true }
        let head = String(decoding: page.body.prefix(64 * 1024), as: UTF8.self).lowercased()
        let markers = [
            "<title>just a moment", "challenge-platform", "cf-chl-", "captcha-delivery", "g-recaptcha", "h-captcha",
            "<title>attention required", "please verify you are a human", "_incapsula_resource", "px-captcha",
        ]
        return markers.contains { head.contains($0) }
    }
}

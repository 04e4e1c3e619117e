import Foundation
import LinkwrightCore

/// Would Google index the page? The most restrictive signal wins: meta robots for `robots` and
/// `googlebot`, `X-Robots-Tag` (plain or `googlebot:`-prefixed), robots.txt as Googlebot reads
/// it, and a canonical (element or `Link` header) that names another page.
enum Indexability {
    static func reason(page: FetchedPage, analysis: PageAnalysis, robots: RobotsCache) async -> String? {
        for name in ["robots", "googlebot"] {
            if let directives = analysis.metaRobots[name], directives.contains(where: { $0 == "noindex" || $0 == "none" }) {
                return "<meta name=\"\(name)\"> says noindex"
            }
        }
        for header in page.header("x-robots-tag") {
            var value = header.lowercased()
            if let colon = value.firstIndex(of: ":") {
                let agent = value[..<colon].trimmingCharacters(in: .whitespaces)
                let rest = value[value.index(after: colon)...]
                // `googlebot: noindex` is for Google; `otherbot: noindex` is not.
                if !["noindex", "none", "unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"].contains(agent) {
                    guard agent == "googlebot" else { continue }
                    value = String(rest)
                }
            }
            let directives = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if directives.contains("noindex") || directives.contains("none") { return "X-Robots-Tag says noindex" }
        }
        let googleRules = await robots.robots(for: page.finalURL)
        if !googleRules.allows(LinkChecker.pathAndQuery(page.finalURL), agent: "Googlebot") {
            return "robots.txt disallows Googlebot"
        }
        if let canonical = analysis.canonical ?? canonicalHeader(page),
            let canonicalURL = LinkURL(canonical), let pageURL = LinkURL(page.finalURL), canonicalURL != pageURL
        {
            return "the canonical is \(canonical)"
        }
        return nil
    }

    /// `Link: <https://example.com/a>; rel="canonical"`.
    static func canonicalHeader(_ page: FetchedPage) -> String? {
        for header in page.header("link") {
            for part in header.split(separator: ",") {
                let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let first = pieces.first, first.hasPrefix("<"), first.hasSuffix(">") else { continue }
                let isCanonical = pieces.dropFirst().contains {
                    let p = $0.lowercased().replacingOccurrences(of: "\"", with: "")
                    return p.hasPrefix("rel=") && p.dropFirst(4).split(separator: " ").contains("canonical")
                }
                if isCanonical {
                    let href = String(first.dropFirst().dropLast())
                    return URL(string: href, relativeTo: URL(string: page.finalURL))?.absoluteURL.absoluteString
                }
            }
        }
        return nil
    }
}

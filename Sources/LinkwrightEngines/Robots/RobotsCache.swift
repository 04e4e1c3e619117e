import Foundation

/// robots.txt per origin, fetched through the guarded fetcher and kept for 24 hours (RFC 9309's
/// upper bound). A 4xx means no rules; a 5xx or no answer means everything is off limits, kept
/// only an hour so a passing outage does not block a site for a day. Concurrent askers for the
/// same origin share one fetch.
public actor RobotsCache {
    let fetcher: Fetcher
    let politeness: (any Politeness)?
    let agent: String
    let now: @Sendable () -> Date
    private var entries: [String: (robots: RobotsTxt, expires: Date)] = [:]
    private var inFlight: [String: Task<RobotsTxt, Never>] = [:]

    /// RFC 9309 asks crawlers to read at least 500 KiB; what is past that is ignored (the
    /// last, cut line may lose its end, like any crawler that stops reading there).
    static let sizeLimit = 500 * 1024

    public init(
        fetcher: Fetcher, politeness: (any Politeness)?, agent: String = "LinkwrightBot",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.fetcher = fetcher
        self.politeness = politeness
        self.agent = agent
        self.now = now
    }

    /// The robots.txt that governs `url`.
    public func robots(for url: String) async -> RobotsTxt {
        guard let origin = Self.origin(of: url) else { return .allowAll }
        if let entry = entries[origin], entry.expires > now() { return entry.robots }
        if let pending = inFlight[origin] { return await pending.value }
        let fetcher = self.fetcher
        let task = Task { () -> RobotsTxt in
            await Self.fetch(origin + "/robots.txt", with: fetcher).robots
        }
        inFlight[origin] = task
        let robots = await task.value
        inFlight[origin] = nil
        let lifetime: TimeInterval = robots == .disallowAll ? 3600 : 86_400
        entries[origin] = (robots, now().addingTimeInterval(lifetime))
        if let delay = robots.crawlDelay(agent: agent), let host = URLComponents(string: url)?.host {
            await politeness?.setCrawlDelay(host: host, .milliseconds(Int64(delay * 1000)))
        }
        return robots
    }

    static func fetch(_ url: String, with fetcher: Fetcher) async -> (robots: RobotsTxt, status: Int?) {
        do {
            let page = try await fetcher.get(url, bodyLimit: sizeLimit, truncating: true)
            switch page.status {
            case 200..<300: return (RobotsTxt(String(decoding: page.body, as: UTF8.self)), page.status)
            case 400..<500: return (.allowAll, page.status)
            default: return (.disallowAll, page.status)
            }
        } catch {
            return (.disallowAll, nil)
        }
    }

    static func origin(of url: String) -> String? {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), let host = c.host?.lowercased() else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = c.port.map { $0 == defaultPort ? "" : ":\($0)" } ?? ""
        return "\(scheme)://\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host)\(port)"
    }
}

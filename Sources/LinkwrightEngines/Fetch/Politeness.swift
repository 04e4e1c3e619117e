import Foundation

/// Spaces out requests to one site. The coordination interface: this process's `LocalPoliteness`
/// today, a Redis-backed implementation shared by every worker process later (issue 6).
public protocol Politeness: Sendable {
    /// Returns when a request to `host` may go out, having reserved that slot.
    func waitForTurn(host: String) async
    /// The site asked us to wait (`Retry-After` on a 429 or 503): nothing goes to it before then.
    func pushBack(host: String, by delay: Duration) async
    /// The site's robots.txt `Crawl-delay`, which widens its spacing (never below the default).
    func setCrawlDelay(host: String, _ delay: Duration) async
}

/// At most one request per `interval` per registrable domain, across every worker of this
/// process. Slots are handed out in order, so waiting callers queue rather than race.
public actor LocalPoliteness: Politeness {
    let interval: Duration
    let suffixes: PublicSuffixList
    let clock = ContinuousClock()
    private var nextSlot: [String: ContinuousClock.Instant] = [:]
    private var crawlDelay: [String: Duration] = [:]

    public init(interval: Duration = .seconds(1), suffixes: PublicSuffixList) {
        self.interval = interval
        self.suffixes = suffixes
    }

    public func waitForTurn(host: String) async {
        let domain = suffixes.registrableDomain(of: host)
        let now = clock.now
        let slot = max(now, nextSlot[domain] ?? now)
        nextSlot[domain] = slot + max(interval, crawlDelay[domain] ?? .zero)
        if slot > now { try? await Task.sleep(until: slot, clock: clock) }
    }

    public func pushBack(host: String, by delay: Duration) async {
        let domain = suffixes.registrableDomain(of: host)
        let until = clock.now + delay
        if until > nextSlot[domain] ?? clock.now { nextSlot[domain] = until }
    }

    public func setCrawlDelay(host: String, _ delay: Duration) async {
        crawlDelay[suffixes.registrableDomain(of: host)] = min(delay, .seconds(60))
    }
}

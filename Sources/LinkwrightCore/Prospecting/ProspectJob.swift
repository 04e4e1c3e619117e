import Foundation

/// How a job's pages are fetched.
public enum ProspectMode: String, Sendable, CaseIterable, Codable {
    /// Direct fetches only: no credits are ever spent.
    case freeOnly = "free-only"
    /// Every page through the premium provider, JavaScript rendering on.
    case premiumOnly = "premium-only"
    /// Direct first; per page, the premium provider when the site turns us away or the page is
    /// empty, and JavaScript rendering when the premium page is still empty.
    case smartHybrid = "smart-hybrid"

    /// The CLI's short names (`hybrid`) as well as the API's.
    public init?(name: String) {
        switch name.lowercased() {
        case "hybrid", "smart-hybrid", "smart_hybrid": self = .smartHybrid
        case "free-only", "free_only", "free": self = .freeOnly
        case "premium-only", "premium_only", "premium": self = .premiumOnly
        default: return nil
        }
    }

    public var usesCredits: Bool { self != .freeOnly }
}

public enum ProspectJobState: String, Sendable, CaseIterable, Codable {
    case pending, running, pausing, paused, completed, failed, archived

    /// Pause is possible while work is issued or about to be.
    public var canPause: Bool { self == .running || self == .pending }
    public var canResume: Bool { self == .paused || self == .pausing }
}

/// How each page of a job was fetched, as results and reports name it.
public enum CrawlMethod: String, Sendable, Codable, CaseIterable {
    case direct
    case premium
    /// Through the premium provider with JavaScript rendering.
    case premiumJS = "premium_js"
}

/// A job's settings as a person gives them, checked before anything is stored.
public struct ProspectJobSettings: Sendable, Equatable {
    public static let defaultMaxPages = 50
    public static let defaultMaxCredits: Int64 = 1_000

    public var name: String
    public var mode: ProspectMode
    /// Premium credits the job may spend; ignored (0) for `free-only`.
    public var maxCredits: Int64
    public var maxPagesPerDomain: Int
    /// A site with at most this many known pages (its sitemaps) is crawled completely; a larger
    /// one gets its homepage and the pages most linked from it, up to `maxPagesPerDomain`.
    public var fullCrawlThreshold: Int
    /// Pages linking to this domain (or a subdomain) are marked `already_links`.
    public var clientDomain: String?

    public struct Input: Sendable {
        public var name: String?
        public var mode: String?
        public var maxCredits: Int64?
        public var maxPagesPerDomain: Int?
        public var fullCrawlThreshold: Int?
        public var clientDomain: String?

        public init(
            name: String?, mode: String? = nil, maxCredits: Int64? = nil, maxPagesPerDomain: Int? = nil, fullCrawlThreshold: Int? = nil,
            clientDomain: String? = nil
        ) {
            self.name = name
            self.mode = mode
            self.maxCredits = maxCredits
            self.maxPagesPerDomain = maxPagesPerDomain
            self.fullCrawlThreshold = fullCrawlThreshold
            self.clientDomain = clientDomain
        }
    }

    public init(
        name: String, mode: ProspectMode, maxCredits: Int64, maxPagesPerDomain: Int, fullCrawlThreshold: Int, clientDomain: String?
    ) {
        self.name = name
        self.mode = mode
        self.maxCredits = maxCredits
        self.maxPagesPerDomain = maxPagesPerDomain
        self.fullCrawlThreshold = fullCrawlThreshold
        self.clientDomain = clientDomain
    }

    public static func validate(_ input: Input) throws(FieldError) -> ProspectJobSettings {
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw FieldError("name", "a job needs a name") }
        guard name.count <= 200 else { throw FieldError("name", "a name is at most 200 characters") }
        var mode = ProspectMode.smartHybrid
        if let raw = input.mode {
            guard let given = ProspectMode(name: raw) else {
                throw FieldError("mode", "mode is free-only, premium-only or smart-hybrid (or hybrid), not \(raw)")
            }
            mode = given
        }
        let pages = input.maxPagesPerDomain ?? defaultMaxPages
        guard (1...1000).contains(pages) else { throw FieldError("max_pages_per_domain", "max_pages_per_domain is between 1 and 1000") }
        let threshold = input.fullCrawlThreshold ?? pages
        guard (1...10_000).contains(threshold) else {
            throw FieldError("full_crawl_threshold", "full_crawl_threshold is between 1 and 10000 known pages")
        }
        var credits: Int64 = 0
        if mode.usesCredits {
            credits = input.maxCredits ?? defaultMaxCredits
            guard credits >= 1, credits <= 100_000_000 else {
                throw FieldError("max_credits", "a \(mode.rawValue) job needs a credit cap between 1 and 100,000,000")
            }
        }
        var client: String?
        if let raw = input.clientDomain, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            switch ProspectDomain.normalise(raw) {
            case .success(let domain): client = domain
            case .failure(let problem): throw FieldError("client_domain", "client_domain: \(problem)")
            }
        }
        return ProspectJobSettings(
            name: name, mode: mode, maxCredits: credits, maxPagesPerDomain: pages, fullCrawlThreshold: threshold, clientDomain: client)
    }
}

/// What a job is expected to spend before it starts, from its mode, its size and the tenant's
/// earlier jobs: a range, since nobody knows how many pages a site has until it is crawled.
public struct ProspectEstimate: Sendable, Equatable {
    public let pagesLow: Int64
    public let pagesHigh: Int64
    public let creditsLow: Int64
    public let creditsHigh: Int64

    /// Credits one page costs through ScrapingBee: 1 plain, 5 with JavaScript rendering.
    public static let plainCredits: Int64 = 1
    public static let renderedCredits: Int64 = 5

    /// What the tenant's finished jobs did: pages per domain and premium credits per page.
    public struct History: Sendable, Equatable {
        public let domains: Int64
        public let pages: Int64
        public let credits: Int64
        public let hybridPages: Int64
        public let hybridCredits: Int64

        public init(domains: Int64, pages: Int64, credits: Int64, hybridPages: Int64, hybridCredits: Int64) {
            self.domains = domains
            self.pages = pages
            self.credits = credits
            self.hybridPages = hybridPages
            self.hybridCredits = hybridCredits
        }

        public static let none = History(domains: 0, pages: 0, credits: 0, hybridPages: 0, hybridCredits: 0)
    }

    public init(pagesLow: Int64, pagesHigh: Int64, creditsLow: Int64, creditsHigh: Int64) {
        self.pagesLow = pagesLow
        self.pagesHigh = pagesHigh
        self.creditsLow = creditsLow
        self.creditsHigh = creditsHigh
    }

    /// Pages: from one per domain (only a homepage) to the page cap, narrowed to the tenant's own
    /// average when it has one. Credits: none for free-only; 5 a page for premium-only; for
    /// smart-hybrid, the tenant's own share of premium pages, or from none to a quarter of the pages
    /// rendered when it has no history yet.
    public static func of(domains: Int, settings: ProspectJobSettings, history: History) -> ProspectEstimate {
        let count = Int64(domains)
        let cap = Int64(settings.maxPagesPerDomain)
        var low = count
        var high = count * cap
        if history.domains > 0, history.pages > 0 {
            let average = max(1, min(cap, (history.pages + history.domains - 1) / history.domains))
            low = max(count, count * average / 2)
            high = min(count * cap, count * average * 2)
        }
        switch settings.mode {
        case .freeOnly:
            return ProspectEstimate(pagesLow: low, pagesHigh: high, creditsLow: 0, creditsHigh: 0)
        case .premiumOnly:
            return ProspectEstimate(pagesLow: low, pagesHigh: high, creditsLow: low * renderedCredits, creditsHigh: high * renderedCredits)
        case .smartHybrid:
            if history.hybridPages > 0 {
                // Credits per thousand pages, so the integer arithmetic keeps the tenant's real rate.
                let perThousand = history.hybridCredits * 1000 / history.hybridPages
                return ProspectEstimate(
                    pagesLow: low, pagesHigh: high, creditsLow: low * perThousand / 1000 / 2, creditsHigh: (high * perThousand + 999) / 1000 * 2)
            }
            return ProspectEstimate(pagesLow: low, pagesHigh: high, creditsLow: 0, creditsHigh: high * renderedCredits / 4)
        }
    }
}

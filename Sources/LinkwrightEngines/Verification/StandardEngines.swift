import LinkwrightCore
import NIOPosix

extension EngineRegistry {
    /// What `serve` runs: `noop` (benchmarks, crash tests), `verification`, fetching through
    /// the guarded fetcher with the system resolver, one request per second per registrable
    /// domain (this process's pacing, or `politeness` shared through Redis), robots.txt honoured,
    /// and `content`, writing drafts with `content` (the offline template writer unless providers
    /// are configured) and reading the page a comment or reply answers through the same fetcher,
    /// `web2`, publishing approved articles to WordPress and MediaWiki through the same guard, and
    /// `comments`, posting approved comments through blogs' comment forms, robots.txt honoured,
    /// `social`, posting to Mastodon and Bluesky, and `forums`, starting topics on django-machina
    /// boards, and `prospecting`, crawling jobs' domains for their keywords through the same
    /// fetcher and pacing, with ScrapingBee as the premium provider when a key is given (each
    /// request holding one of `premiumSlots`).
    public static func standard(
        allowPrivateTargets: Bool = false, pool: NIOThreadPool = .singleton,
        politeness: (any Politeness)? = nil, content: ContentGenerator = ContentGenerator(providers: [TemplateWriter()]),
        publishing: (any PublishObserver)? = nil, scrapingBee: (apiKey: String, baseURL: String)? = nil,
        premiumSlots: (any PremiumSlots)? = nil
    ) -> EngineRegistry {
        let politeness = politeness ?? LocalPoliteness(suffixes: PublicSuffixList.load())
        let fetcher = Fetcher.standard(allowPrivateTargets: allowPrivateTargets, pool: pool, politeness: politeness)
        let robots = RobotsCache(fetcher: fetcher, politeness: politeness)
        let checker = LinkChecker(fetcher: fetcher, robots: robots, parsing: pool)
        let reader = PostReader(fetcher: fetcher, robots: robots, parsing: pool)
        return EngineRegistry([
            NoopEngine(), VerificationEngine(checker: checker), ContentEngine(generator: content, reader: reader, parsing: pool),
            Web2Engine(fetcher: fetcher, observer: publishing),
            CommentsEngine(fetcher: fetcher, robots: robots, parsing: pool, observer: publishing),
            SocialEngine(fetcher: fetcher, observer: publishing),
            ForumsEngine(fetcher: fetcher, parsing: pool, observer: publishing),
            ProspectingEngine(
                crawler: ProspectCrawler(
                    fetcher: fetcher, parsing: pool,
                    premium: scrapingBee.map { ScrapingBee(fetcher: fetcher, apiKey: $0.apiKey, baseURL: $0.baseURL) }, slots: premiumSlots)),
        ])
    }
}

extension Fetcher {
    /// What `serve` fetches and publishes with: our User-Agent, the system resolver, private
    /// addresses refused unless `allowPrivateTargets` (tests and closed networks).
    public static func standard(allowPrivateTargets: Bool = false, pool: NIOThreadPool = .singleton, politeness: (any Politeness)? = nil) -> Fetcher {
        Fetcher(
            userAgent: Fetcher.userAgent(version: LinkwrightVersion.current, homepage: LinkwrightVersion.homepage),
            resolver: SystemResolver(pool: pool), policy: AddressPolicy(allowPrivate: allowPrivateTargets), politeness: politeness)
    }
}

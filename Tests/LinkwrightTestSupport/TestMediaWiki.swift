import Foundation
import LinkwrightEngines

/// The real MediaWiki `ops/test` starts (`ops/lib/mediawiki.sh`): its address and a bot
/// password (what a tenant connects). Tests that need it record a failure when it is missing.
public struct TestMediaWiki: Sendable {
    public let url: String
    public let botUser: String
    public let botPassword: String

    public static func fromEnvironment() -> TestMediaWiki? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["LINKWRIGHT_TEST_MEDIAWIKI_URL"], let user = environment["LINKWRIGHT_TEST_MEDIAWIKI_BOT_USER"],
            let password = environment["LINKWRIGHT_TEST_MEDIAWIKI_BOT_PASSWORD"]
        else { return nil }
        return TestMediaWiki(url: url, botUser: user, botPassword: password)
    }

    public static let missing =
        "no MediaWiki to publish to: ops/test starts one (ops/lib/mediawiki.sh) and exports LINKWRIGHT_TEST_MEDIAWIKI_URL, "
        + "_BOT_USER and _BOT_PASSWORD"

    /// A fetcher whose guard lets exactly this wiki's loopback address and port through.
    public var fetcher: Fetcher { .exempting(url) }

    public func client(password: String? = nil) -> MediaWikiClient {
        MediaWikiClient(fetcher: fetcher, wikiURL: url, username: botUser, botPassword: password ?? botPassword)
    }
}

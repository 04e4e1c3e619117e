import Foundation
import LinkwrightCore

/// The connection test: signs in to the platform with a connected account the way the engines
/// will, and asks who it is (WordPress `users/me`, MediaWiki `meta=userinfo`, Mastodon
/// `verify_credentials`, Bluesky `getSession`), so a person
/// learns that an account works, or why not, before any slot depends on it.
public struct AccountProbe: Sendable {
    public enum Verdict: Sendable, Equatable {
        case signedIn(as: String)
        case failed(PublishFailure)
        /// Nothing to sign in to (a commenter identity), or a platform whose engine is not built yet.
        case untested(String)
    }

    let fetcher: Fetcher

    public init(fetcher: Fetcher) { self.fetcher = fetcher }

    public func check(_ account: ConnectedAccount) async -> Verdict {
        do {
            switch account.platform {
            case .wordpress:
                let name = try await WordPressClient(
                    fetcher: fetcher, siteURL: account.baseURL, username: account.username, applicationPassword: account.secret
                ).whoAmI()
                return .signedIn(as: name)
            case .mediawiki:
                let name = try await MediaWikiClient(
                    fetcher: fetcher, wikiURL: account.baseURL, username: account.username, botPassword: account.secret
                )
                .whoAmI()
                return .signedIn(as: name)
            case .commenter:
                return .untested("a commenter identity is a name, an email and a website: there is nothing to sign in to")
            case .mastodon:
                return .signedIn(as: try await MastodonClient(fetcher: fetcher, instanceURL: account.baseURL, accessToken: account.secret).whoAmI())
            case .bluesky:
                let client = BlueskyClient(fetcher: fetcher, serviceURL: account.baseURL, identifier: account.username, appPassword: account.secret)
                return .signedIn(as: try await client.whoAmI())
            case .forum:
                return .signedIn(as: try await ForumAdapters.adapter(for: account, fetcher: fetcher).whoAmI())
            }
        } catch {
            return .failed(error)
        }
    }
}

import Foundation
import LinkwrightCore
import NIOPosix

/// One forum software, as the forums engine uses it: sign in with the member account the tenant
/// connected, keep the profile's signature carrying the link, and start a topic in the board the
/// connection names. Each forum software gets its own adapter; `ForumAdapters.adapter(for:)`
/// picks it.
public protocol ForumAdapter: Sendable {
    /// Who the account signs in as: the connection test.
    func whoAmI() async throws(PublishFailure) -> String
    /// Sets the profile's signature to `signature` unless it already carries `link`; true when it
    /// changed it (a `profile_update` action).
    func ensureSignature(_ signature: String, carrying link: String) async throws(PublishFailure) -> Bool
    /// Starts a topic, or returns the one an earlier attempt started with the same subject.
    func startTopic(subject: String, markdown: String) async throws(PublishFailure) -> (id: String, url: String)
    /// The rel the software adds to links in posts, if any.
    var expectedRel: String? { get }
}

extension MachinaForum {
    var expectedRel: String? { nil }
}

extension DiscourseForum {
    var expectedRel: String? { Self.expectedRel }
}

public enum ForumAdapters {
    /// The adapter for a forum connection: its site is the board members post in. A Discourse
    /// category's address (`/c/<slug>/<id>`) means Discourse's REST API with the secret as its API
    /// key; any other board is a django-machina forum signed in with the member's password.
    public static func adapter(for account: ConnectedAccount, fetcher: Fetcher, parsing: NIOThreadPool = .singleton) -> any ForumAdapter {
        if let category = DiscourseForum.category(of: account.baseURL) {
            return DiscourseForum(
                fetcher: fetcher, origin: category.origin, categorySlug: category.slug, categoryID: category.id, username: account.username,
                key: account.secret)
        }
        return MachinaForum(fetcher: fetcher, boardURL: account.baseURL, username: account.username, password: account.secret, parsing: parsing)
    }
}

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
}

public enum ForumAdapters {
    /// The adapter for a forum connection: its site is the board members post in.
    /// django-machina is the one built (`MachinaForum`); Discourse's REST API is next.
    public static func adapter(for account: ConnectedAccount, fetcher: Fetcher, parsing: NIOThreadPool = .singleton) -> any ForumAdapter {
        MachinaForum(fetcher: fetcher, boardURL: account.baseURL, username: account.username, password: account.secret, parsing: parsing)
    }
}

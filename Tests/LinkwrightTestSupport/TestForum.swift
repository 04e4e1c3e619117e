import Foundation
import LinkwrightCore
import LinkwrightEngines

/// The real django-machina forum `ops/test` starts (`ops/lib/forum.sh`): the board members post
/// in and a member's user name and password (what a tenant connects). Tests that need it record a
/// failure when it is not there rather than pass without it.
public struct TestForum: Sendable {
    public let boardURL: String
    public let user: String
    public let password: String

    public static func fromEnvironment() -> TestForum? {
        let environment = ProcessInfo.processInfo.environment
        guard let board = environment["LINKWRIGHT_TEST_FORUM_URL"], let user = environment["LINKWRIGHT_TEST_FORUM_USER"],
            let password = environment["LINKWRIGHT_TEST_FORUM_PASSWORD"]
        else { return nil }
        return TestForum(boardURL: board, user: user, password: password)
    }

    public static let missing =
        "no forum to post to: ops/test starts one (ops/lib/forum.sh) and exports LINKWRIGHT_TEST_FORUM_URL, _USER and _PASSWORD"

    public var fetcher: Fetcher { .exempting(boardURL) }

    public var account: ConnectedAccount {
        ConnectedAccount(id: UUID(), platform: .forum, baseURL: boardURL, username: user, secret: password)
    }
}

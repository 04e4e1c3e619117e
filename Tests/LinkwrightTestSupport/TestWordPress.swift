import Foundation
import LinkwrightEngines

/// The real WordPress `ops/test` starts (`ops/lib/wordpress.sh`) for the engines' tests: its
/// address, an author's application password (what a tenant connects) and an administrator's
/// (to moderate). Tests that need it record a failure when it is not there rather than pass
/// without it: run them through `ops/test`, or start one and export the variables it names.
public struct TestWordPress: Sendable {
    public let url: String
    public let author: String
    public let authorPassword: String
    public let adminPassword: String

    public static func fromEnvironment() -> TestWordPress? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["LINKWRIGHT_TEST_WORDPRESS_URL"], let author = environment["LINKWRIGHT_TEST_WORDPRESS_AUTHOR"],
            let authorPassword = environment["LINKWRIGHT_TEST_WORDPRESS_AUTHOR_PASSWORD"],
            let adminPassword = environment["LINKWRIGHT_TEST_WORDPRESS_ADMIN_PASSWORD"]
        else { return nil }
        return TestWordPress(url: url, author: author, authorPassword: authorPassword, adminPassword: adminPassword)
    }

    public static let missing =
        "no WordPress to publish to: ops/test starts one (ops/lib/wordpress.sh) and exports LINKWRIGHT_TEST_WORDPRESS_URL, "
        + "_AUTHOR, _AUTHOR_PASSWORD and _ADMIN_PASSWORD"

    /// A fetcher whose guard lets exactly this WordPress's loopback address and port through.
    public var fetcher: Fetcher { .exempting(url) }

    public func client(password: String? = nil) -> WordPressClient {
        WordPressClient(fetcher: fetcher, siteURL: url, username: author, applicationPassword: password ?? authorPassword)
    }
}

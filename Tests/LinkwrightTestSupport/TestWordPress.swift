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

extension TestWordPress {
    /// A new published post (by the author) to comment on: its id and public address.
    public func newPost(_ title: String = "A post to answer") async throws -> (id: Int, url: String) {
        let post = try await client().publish(
            title: title, html: "<p>Trail running in the rain: how do your shoes hold up on wet rock?</p>",
            slug: "post-\(UUID().uuidString.lowercased())")
        return (post.id, post.link)
    }

    /// The post's comments in every status, as the administrator sees them.
    public func comments(onPost id: Int) async throws -> [(id: Int, status: String, authorURL: String)] {
        let page = try await admin("GET", "/wp-json/wp/v2/comments?post=\(id)&status=all&context=edit&per_page=100")
        let list = (try JSONSerialization.jsonObject(with: Data(page.body)) as? [[String: Any]]) ?? []
        return list.map { ($0["id"] as? Int ?? 0, $0["status"] as? String ?? "", $0["author_url"] as? String ?? "") }
    }

    /// The moderator lets a held comment through.
    public func approve(comment id: Int) async throws {
        let page = try await admin("POST", "/wp-json/wp/v2/comments/\(id)", json: #"{"status":"approved"}"#)
        guard page.status == 200 else { throw TestWordPressError(description: "approving comment \(id) answered \(page.status)") }
    }

    func admin(_ method: String, _ path: String, json: String? = nil) async throws -> FetchedPage {
        var headers = [(name: "Authorization", value: "Basic " + Data("admin:\(adminPassword)".utf8).base64EncodedString())]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return try await fetcher.send(method, url + path, headers: headers, body: json.map { Array($0.utf8) })
    }
}

public struct TestWordPressError: Error, CustomStringConvertible {
    public let description: String
}

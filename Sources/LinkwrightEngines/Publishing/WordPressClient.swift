import Foundation
import LinkwrightCore

/// A WordPress site's REST API (`/wp-json/wp/v2/`), signed in with an application password over
/// HTTP Basic auth, through the guarded fetcher: the site's address is the tenant's to choose, so
/// it is checked like any other outbound address.
///
/// Exactly once: a post is created with the task's mark (`PublishMarker`) as its slug, which
/// WordPress keeps as given while it is free, and before creating one the client looks for a
/// post with that slug (in any status), so a retried or re-delivered task finds the post the
/// first attempt made instead of publishing twice.
public struct WordPressClient: Sendable {
    public struct Post: Sendable, Equatable, Decodable {
        public let id: Int
        public let link: String
        public let slug: String
        public let status: String
    }

    let fetcher: Fetcher
    let apiRoot: String
    let authorization: String

    /// `siteURL` is the blog's address (its home page), as the tenant connected it.
    public init(fetcher: Fetcher, siteURL: String, username: String, applicationPassword: String) {
        self.fetcher = fetcher
        self.apiRoot = PlatformURL.trimmed(siteURL) + "/wp-json/wp/v2"
        self.authorization = "Basic " + Foundation.Data("\(username):\(applicationPassword)".utf8).base64EncodedString()
    }

    /// Who the application password signs in as (`users/me`): the connection test.
    public func whoAmI() async throws(PublishFailure) -> String {
        struct Me: Decodable { let name: String }
        let me: Me = try await call("GET", "/users/me?context=edit")
        return me.name
    }

    /// The post with `slug`, whatever its status, if this account can see one.
    public func post(slug: String) async throws(PublishFailure) -> Post? {
        let query = "/posts?slug=\(slug)&status=publish,future,draft,pending,private&context=edit"
        let posts: [Post] = try await call("GET", query)
        return posts.first
    }

    /// Publishes a post, or returns the one an earlier attempt of the same task published.
    public func publish(title: String, html: String, slug: String) async throws(PublishFailure) -> Post {
        if let existing = try await post(slug: slug) { return existing }
        let body: [String: String] = ["title": title, "content": html, "status": "publish", "slug": slug]
        let json = (try? JSONEncoder().encode(body)) ?? Foundation.Data()
        return try await call("POST", "/posts", body: Array(json))
    }

    /// WordPress's error body: `{"code": …, "message": …, "data": {"status": …, "details": …}}`.
    /// A parameter refused because nobody is signed in (a revoked application password makes the
    /// request anonymous) is a 400 whose details carry 401: that is the account, not the content.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            struct Inner: Decodable { let status: Int? }
            let data: Inner?
        }
        struct Data: Decodable { let details: [String: Detail]? }
        let message: String?
        let data: Data?

        var signedOut: Bool { data?.details?.values.contains { $0.data?.status == 401 } ?? false }
    }

    func call<Reply: Decodable>(_ method: String, _ path: String, body: [UInt8]? = nil) async throws(PublishFailure) -> Reply {
        var headers: [(name: String, value: String)] = [("Authorization", authorization), ("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let page: FetchedPage
        do {
            page = try await fetcher.send(method, apiRoot + path, headers: headers, body: body)
        } catch {
            switch error {
            case .refusedTarget, .invalidURL, .unresolvable: throw .gone("the WordPress site cannot be reached: \(error)")
            default: throw .retryLater("the WordPress site did not answer: \(error)")
            }
        }
        guard (200..<300).contains(page.status) else {
            let error = try? JSONDecoder().decode(ErrorBody.self, from: Foundation.Data(page.body))
            let message = error?.message
            if page.status == 404, message == nil {
                throw .gone("WordPress's REST API is not at \(apiRoot) (404): it may be turned off on this site")
            }
            throw PublishFailure.classify(
                status: error?.signedOut == true ? 401 : page.status, message: message, retryAfter: page.header("retry-after").first,
                platform: "WordPress")
        }
        do {
            return try JSONDecoder().decode(Reply.self, from: Foundation.Data(page.body))
        } catch {
            throw .retryLater("WordPress answered \(page.status) with a body that is not what its API returns")
        }
    }
}

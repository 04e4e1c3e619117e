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
///
/// A site that turned its REST API off (no route, or `rest_disabled` from a plugin) is reached
/// through XML-RPC instead (`WordPressXMLRPC`), with the same account and the same slug.
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
    let xmlrpc: WordPressXMLRPC

    /// `siteURL` is the blog's address (its home page), as the tenant connected it.
    public init(fetcher: Fetcher, siteURL: String, username: String, applicationPassword: String) {
        self.fetcher = fetcher
        self.apiRoot = PlatformURL.trimmed(siteURL) + "/wp-json/wp/v2"
        self.authorization = "Basic " + Foundation.Data("\(username):\(applicationPassword)".utf8).base64EncodedString()
        self.xmlrpc = WordPressXMLRPC(fetcher: fetcher, siteURL: siteURL, username: username, password: applicationPassword)
    }

    /// Who the application password signs in as (`users/me`): the connection test.
    public func whoAmI() async throws(PublishFailure) -> String {
        struct Me: Decodable { let name: String }
        do {
            let me: Me = try await call("GET", "/users/me?context=edit")
            return me.name
        } catch {
            guard try await !restIsOn(after: error) else { throw error }
            return try await xmlrpc.whoAmI()
        }
    }

    /// The post with `slug`, whatever its status, if this account can see one.
    public func post(slug: String) async throws(PublishFailure) -> Post? {
        let query = "/posts?slug=\(slug)&status=publish,future,draft,pending,private&context=edit"
        let posts: [Post] = try await call("GET", query)
        return posts.first
    }

    /// Publishes a post, or returns the one an earlier attempt of the same task published.
    public func publish(title: String, html: String, slug: String) async throws(PublishFailure) -> Post {
        do {
            if let existing = try await post(slug: slug) { return existing }
            let body: [String: String] = ["title": title, "content": html, "status": "publish", "slug": slug]
            let json = (try? JSONEncoder().encode(body)) ?? Foundation.Data()
            return try await call("POST", "/posts", body: Array(json))
        } catch {
            guard try await !restIsOn(after: error) else { throw error }
            return try await xmlrpc.publish(title: title, html: html, slug: slug)
        }
    }

    /// After a REST call failed as if the site or the account were gone: whether the REST API is
    /// there at all. A site without it answers its index with 404 (no route), or a plugin's
    /// `rest_disabled`/`rest_cannot_access`; a revoked password or a wrong address does not.
    func restIsOn(after error: PublishFailure) async throws(PublishFailure) -> Bool {
        switch error {
        case .gone, .connectionBroken: break
        default: return true
        }
        let page: FetchedPage
        do {
            page = try await fetcher.send("GET", apiRoot, headers: [("Accept", "application/json")])
        } catch {
            return true
        }
        if (200..<300).contains(page.status) { return true }
        let code = (try? JSONDecoder().decode(ErrorBody.self, from: Foundation.Data(page.body)))?.code
        return !(page.status == 404 || ["rest_disabled", "rest_cannot_access", "rest_no_route", "rest_login_required"].contains(code ?? ""))
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
        let code: String?
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
            throw .unreachable(error, "the WordPress site")
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

import Foundation
import LinkwrightCore
import NIOPosix

/// A WordPress site's XML-RPC API (`xmlrpc.php`), for sites that turned their REST API off:
/// `wp.newPost` signed with the same user name and application password (WordPress accepts
/// application passwords over XML-RPC). Exactly once as over REST: the post is created with the
/// task's mark as its slug (`post_name`), and the account's recent posts are read for that slug
/// before creating one.
struct WordPressXMLRPC: Sendable {
    let fetcher: Fetcher
    let endpoint: String
    let username: String
    let password: String
    let parsing: NIOThreadPool

    init(fetcher: Fetcher, siteURL: String, username: String, password: String, parsing: NIOThreadPool = .singleton) {
        self.fetcher = fetcher
        self.endpoint = PlatformURL.trimmed(siteURL) + "/xmlrpc.php"
        self.username = username
        self.password = password
        self.parsing = parsing
    }

    var signIn: [XMLRPCValue] { [.int(1), .string(username), .string(password)] }

    func whoAmI() async throws(PublishFailure) -> String {
        let profile = try await call("wp.getProfile", signIn + [.array([.string("display_name"), .string("username")])])
        return profile["display_name"]?.string ?? profile["username"]?.string ?? username
    }

    func publish(title: String, html: String, slug: String) async throws(PublishFailure) -> WordPressClient.Post {
        let fields: XMLRPCValue = .array([.string("post_id"), .string("post_name"), .string("link"), .string("post_status")])
        let recent = try await call(
            "wp.getPosts", signIn + [.structure(["post_type": .string("post"), "number": .int(100), "orderby": .string("date")]), fields])
        if let existing = recent.array.first(where: { $0["post_name"]?.string == slug }) { return try post(existing) }
        let created = try await call(
            "wp.newPost",
            signIn + [
                .structure([
                    "post_type": .string("post"), "post_status": .string("publish"), "post_title": .string(title), "post_content": .string(html),
                    "post_name": .string(slug),
                ])
            ])
        guard let id = created.string, let number = Int(id) else { throw .retryLater("WordPress's XML-RPC did not say which post it made") }
        return try post(try await call("wp.getPost", signIn + [.int(number), fields]))
    }

    func post(_ value: XMLRPCValue) throws(PublishFailure) -> WordPressClient.Post {
        guard let id = value["post_id"]?.string.flatMap({ Int($0) }), let link = value["link"]?.string else {
            throw .retryLater("WordPress's XML-RPC answered a post without its id or link")
        }
        return WordPressClient.Post(id: id, link: link, slug: value["post_name"]?.string ?? "", status: value["post_status"]?.string ?? "publish")
    }

    func call(_ method: String, _ parameters: [XMLRPCValue]) async throws(PublishFailure) -> XMLRPCValue {
        let page: FetchedPage
        do {
            page = try await fetcher.send(
                "POST", endpoint, headers: [("Content-Type", "text/xml; charset=utf-8")], body: Array(XMLRPC.call(method, parameters).utf8))
        } catch {
            throw .unreachable(error, "the WordPress site")
        }
        guard page.status == 200 else {
            if page.status == 404 || page.status == 405 {
                throw .gone("neither WordPress's REST API nor its XML-RPC answers here (\(endpoint): \(page.status))")
            }
            throw PublishFailure.classify(status: page.status, message: nil, retryAfter: page.header("retry-after").first, platform: "WordPress")
        }
        let body = page.body
        guard let answer = (try? await parsing.runIfActive { XMLRPC.answer(body) }) ?? nil else {
            throw .gone("\(endpoint) did not answer as WordPress's XML-RPC")
        }
        switch answer {
        case .value(let value): return value
        case .fault(let code, let message):
            switch code {
            case 401, 403: throw .connectionBroken("WordPress refused the account over XML-RPC (\(code)): \(message) — reconnect it")
            case 405: throw .gone("WordPress: \(message)")
            default: throw .contentRefused("WordPress refused the post over XML-RPC (\(code)): \(message)")
            }
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import LinkwrightCore
import LinkwrightEngines
import NIOConcurrencyHelpers
import NIOCore

/// A local stand-in for a Discourse forum's REST API on 127.0.0.1 (Discourse needs Ruby, Redis
/// and PostgreSQL of its own and does not install here). It speaks Discourse's wire format and
/// enforces what the forums engine must get right: the `Api-Key`/`Api-Username` headers (a wrong
/// key is a 403 `invalid_access`), `POST /posts.json` with a title of at least 15 characters, a
/// first post of at least 20, an existing category and a title not used before (422 with
/// `errors`), the category's topic list, the user's `website`, and a public topic page whose
/// links carry `rel="noopener nofollow ugc"` as Discourse renders them.
public struct TestDiscourse: Sendable {
    public let port: Int
    public static let key = "discourse-key-0123456789abcdef"
    public static let user = "linkwright"
    public static let category = (slug: "links", id: 5)
    let state: NIOLockedValueBox<DiscourseData>

    public var origin: String { "http://127.0.0.1:\(port)" }
    public var boardURL: String { "\(origin)/c/\(Self.category.slug)/\(Self.category.id)" }
    public var fetcher: Fetcher { .exempting(origin) }
    public var topics: [(id: Int, title: String, raw: String)] { state.withLockedValue { $0.topics.map { ($0.id, $0.title, $0.raw) } } }
    public var website: String? { state.withLockedValue { $0.website } }

    public func account(key: String = TestDiscourse.key) -> ConnectedAccount {
        ConnectedAccount(id: UUID(), platform: .forum, baseURL: boardURL, username: Self.user, secret: key)
    }

    public static func run<R: Sendable>(_ body: @Sendable (TestDiscourse) async throws -> R) async throws -> R {
        let ports = AsyncStream<Int>.makeStream()
        let state = NIOLockedValueBox(DiscourseData())
        let router = Router()
        DiscourseStandIn.routes(router, state)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { ports.continuation.yield($0.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var next = ports.stream.makeAsyncIterator()
            let port = await next.next() ?? 0
            let result = try await body(TestDiscourse(port: port, state: state))
            group.cancelAll()
            return result
        }
    }
}

struct DiscourseData: Sendable {
    struct Topic: Sendable {
        let id: Int
        let title: String
        let slug: String
        let raw: String
    }
    var topics: [Topic] = []
    var website: String?
}

enum DiscourseStandIn {
    static func routes(_ router: Router<BasicRequestContext>, _ state: NIOLockedValueBox<DiscourseData>) {
        router.get("session/current.json") { request, _ in
            guard authorized(request) else { return invalidAccess() }
            return json(.ok, ["current_user": ["id": 2, "username": TestDiscourse.user]])
        }
        router.get("u/{username}") { request, _ in
            guard authorized(request) else { return invalidAccess() }
            return json(.ok, ["user": ["username": TestDiscourse.user, "website": state.withLockedValue { $0.website } as Any]])
        }
        router.put("u/{username}") { request, _ in
            guard authorized(request) else { return invalidAccess() }
            let website = try await bodyObject(request)?["website"] as? String
            state.withLockedValue { $0.website = website }
            return json(.ok, ["success": "OK", "user": ["username": TestDiscourse.user, "website": website as Any]])
        }
        router.get("c/{slug}/{id}") { request, context in
            guard authorized(request) else { return invalidAccess() }
            guard context.parameters.get("slug") == TestDiscourse.category.slug, context.parameters.get("id") == "\(TestDiscourse.category.id).json"
            else { return json(.notFound, ["errors": ["The requested URL or resource could not be found."], "error_type": "not_found"]) }
            let topics = state.withLockedValue { $0.topics.map { ["id": $0.id, "title": $0.title, "slug": $0.slug] as [String: Any] } }
            return json(.ok, ["topic_list": ["topics": topics]])
        }
        router.post("posts.json") { request, _ in
            guard authorized(request) else { return invalidAccess() }
            let body = try await bodyObject(request) ?? [:]
            let title = (body["title"] as? String ?? "").trimmingCharacters(in: .whitespaces)
            let raw = body["raw"] as? String ?? ""
            var errors: [String] = []
            if title.count < 15 { errors.append("Title must be at least 15 characters") }
            if raw.count < 20 { errors.append("Body must be at least 20 characters") }
            if body["category"] as? Int != TestDiscourse.category.id { errors.append("Category can't be blank") }
            if state.withLockedValue({ $0.topics.contains { $0.title == title } }) { errors.append("Title has already been used") }
            guard errors.isEmpty else { return json(.unprocessableContent, ["action": "create_post", "errors": errors]) }
            let topic = state.withLockedValue { data -> DiscourseData.Topic in
                let slug = title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
                let topic = DiscourseData.Topic(id: 100 + data.topics.count, title: title, slug: slug, raw: raw)
                data.topics.append(topic)
                return topic
            }
            return json(.ok, ["id": 1000 + topic.id, "topic_id": topic.id, "topic_slug": topic.slug, "raw": raw])
        }
        router.get("t/{slug}/{id}") { _, context in
            let id = Int(context.parameters.get("id") ?? "") ?? -1
            guard let topic = state.withLockedValue({ $0.topics.first { $0.id == id } }) else { return Response(status: .notFound) }
            let escaped = topic.raw.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            let linked = escaped.replacingOccurrences(
                of: #"\[([^\]]*)\]\(([^)\s]+)\)"#, with: #"<a href="$2" rel="noopener nofollow ugc">$1</a>"#, options: .regularExpression)
            let html =
                "<!doctype html><html><head><title>\(topic.title)</title></head><body><article><h1>\(topic.title)</h1><p>\(linked)</p></article></body></html>"
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        }
    }

    static func authorized(_ request: Request) -> Bool {
        request.headers[HTTPField.Name("Api-Key")!] == TestDiscourse.key && request.headers[HTTPField.Name("Api-Username")!] == TestDiscourse.user
    }

    static func invalidAccess() -> Response {
        json(
            .forbidden,
            ["errors": ["You are not permitted to view the requested resource. The API username or key is invalid."], "error_type": "invalid_access"])
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import LinkwrightEngines
import NIOConcurrencyHelpers
import NIOCore

/// Local stand-ins for a Mastodon instance and a Bluesky PDS, on 127.0.0.1: neither service runs
/// here, so these speak their wire formats and enforce the parts of their contracts the social
/// engine must get right — Mastodon: bearer token, `Idempotency-Key` (a repeat returns the same
/// status), 500 characters with every URL counted as 23, `/api/v2/instance`, `X-RateLimit-*`
/// headers, a public status page with its link `nofollow noopener noreferrer`; Bluesky:
/// `createSession` with the app password, an access token that expires (`ExpiredToken`, renewed
/// by `refreshSession`), `createRecord` refusing a post without `createdAt`, over 300
/// graphemes, with a facet whose byte range is not inside the UTF-8 text or a record key that is
/// not a TID, and `getRecord` answering `RecordNotFound`.
public struct TestSocial: Sendable {
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    public static let mastodonToken = "mastodon-token-0123456789"
    public static let blueskyHandle = "linkwright.test"
    public static let blueskyPassword = "abcd-efgh-ijkl-mnop"
    public static let did = "did:plc:linkwrighttest0000000000"
    let state: SocialState

    /// Statuses the instance holds, in order.
    public var statuses: [(id: String, text: String, idempotencyKey: String?)] { state.value { $0.statuses } }
    /// Bluesky posts the repository holds: record key, text, facets.
    public var posts: [(rkey: String, text: String, facets: [[String: Any]])] { state.value { $0.posts.map { ($0.rkey, $0.text, $0.facets) } } }
    /// Mastodon answers statuses with `X-RateLimit-Remaining` of this (300 when nil).
    public func setRemaining(_ remaining: Int?) { state.update { $0.remaining = remaining } }
    /// Each access token works for this many calls, then answers `ExpiredToken`.
    public func setAccessUses(_ uses: Int) { state.update { $0.accessUses = uses } }

    public var fetcher: Fetcher { .exempting(url) }

    public static func run<R: Sendable>(_ body: @Sendable (TestSocial) async throws -> R) async throws -> R {
        let portBox = AsyncStream<Int>.makeStream()
        let state = SocialState()
        let router = Router()
        MastodonStandIn.routes(router, state)
        BlueskyStandIn.routes(router, state)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portBox.continuation.yield(channel.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var ports = portBox.stream.makeAsyncIterator()
            let port = await ports.next() ?? 0
            state.update { $0.base = "http://127.0.0.1:\(port)" }
            let result = try await body(TestSocial(port: port, state: state))
            group.cancelAll()
            return result
        }
    }
}

struct SocialData {
    var base = ""
    var statuses: [(id: String, text: String, idempotencyKey: String?)] = []
    var remaining: Int?
    var posts: [(rkey: String, text: String, facets: [[String: Any]])] = []
    var accessUses = 1000
    var tokens: [String: Int] = [:]  // access token → calls left
    var refreshTokens: Set<String> = []
    var issued = 0
}

final class SocialState: @unchecked Sendable {
    // Guarded by `lock`; `[String: Any]` facets are not Sendable, hence the unchecked box.
    private var data = SocialData()
    private let lock = NIOLock()
    func value<T>(_ read: (SocialData) -> T) -> T { lock.withLock { read(data) } }
    func update<T>(_ change: (inout SocialData) -> T) -> T { lock.withLock { change(&data) } }
}

func json(_ status: HTTPResponse.Status, _ object: Any, headers: [(String, String)] = []) -> Response {
    var fields = HTTPFields()
    fields[.contentType] = "application/json; charset=utf-8"
    for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
    let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

func bodyObject(_ request: Request) async throws -> [String: Any]? {
    let buffer = try await request.body.collect(upTo: 1 << 20)
    return (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any]
}

enum MastodonStandIn {
    static func routes(_ router: Router<BasicRequestContext>, _ state: SocialState) {
        router.get("api/v2/instance") { _, _ in
            json(.ok, ["domain": "127.0.0.1", "configuration": ["statuses": ["max_characters": 500, "characters_reserved_per_url": 23]]])
        }
        router.get("api/v1/accounts/verify_credentials") { request, _ in
            guard authorized(request) else { return json(.unauthorized, ["error": "The access token is invalid"]) }
            return json(.ok, ["id": "1", "username": "linkwright", "acct": "linkwright"])
        }
        router.post("api/v1/statuses") { request, _ in
            guard authorized(request) else { return json(.unauthorized, ["error": "The access token is invalid"]) }
            guard let body = try await bodyObject(request), let text = body["status"] as? String, !text.isEmpty else {
                return json(.unprocessableContent, ["error": "Validation failed: Text can't be blank"])
            }
            let length =
                text.split(separator: " ", omittingEmptySubsequences: false).reduce(0) {
                    $0 + ($1.hasPrefix("http://") || $1.hasPrefix("https://") ? 23 : $1.unicodeScalars.count)
                } + max(0, text.split(separator: " ", omittingEmptySubsequences: false).count - 1)
            guard length <= 500 else { return json(.unprocessableContent, ["error": "Validation failed: Text character limit of 500 exceeded"]) }
            let key = request.headers[HTTPField.Name("Idempotency-Key")!]
            let (status, remaining) = state.update { data -> ([String: Any], Int?) in
                if let key, let done = data.statuses.first(where: { $0.idempotencyKey == key }) {
                    return (["id": done.id, "url": "\(data.base)/@linkwright/\(done.id)"], data.remaining)
                }
                let id = String(110_000_000_000 + data.statuses.count)
                data.statuses.append((id, text, key))
                return (["id": id, "url": "\(data.base)/@linkwright/\(id)", "content": "<p>\(text)</p>"], data.remaining)
            }
            let reset = ISO8601DateFormatter().string(from: Date().addingTimeInterval(600))
            return json(
                .ok, status,
                headers: [("X-RateLimit-Limit", "300"), ("X-RateLimit-Remaining", String(remaining ?? 300)), ("X-RateLimit-Reset", reset)])
        }
        router.get("@linkwright/{id}") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let text = state.value({ $0.statuses.first { $0.id == id }?.text }) else { return Response(status: .notFound) }
            let linked = text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
                let escaped = word.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                guard word.hasPrefix("http") else { return escaped }
                return #"<a href="\#(escaped)" rel="nofollow noopener noreferrer" target="_blank">\#(escaped)</a>"#
            }.joined(separator: " ")
            let html = "<!doctype html><html><head><title>linkwright</title></head><body><article><p>\(linked)</p></article></body></html>"
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        }
    }

    static func authorized(_ request: Request) -> Bool {
        request.headers[.authorization] == "Bearer \(TestSocial.mastodonToken)"
    }
}

enum BlueskyStandIn {
    static func routes(_ router: Router<BasicRequestContext>, _ state: SocialState) {
        router.post("xrpc/com.atproto.server.createSession") { request, _ in
            let body = try await bodyObject(request)
            guard body?["identifier"] as? String == TestSocial.blueskyHandle, body?["password"] as? String == TestSocial.blueskyPassword else {
                return json(.unauthorized, ["error": "AuthenticationRequired", "message": "Invalid identifier or password"])
            }
            return json(.ok, issue(state))
        }
        router.post("xrpc/com.atproto.server.refreshSession") { request, _ in
            let token = bearer(request)
            guard state.update({ $0.refreshTokens.remove(token) != nil }) else {
                return json(.badRequest, ["error": "ExpiredToken", "message": "Token has been revoked"])
            }
            return json(.ok, issue(state))
        }
        router.get("xrpc/com.atproto.server.getSession") { request, _ in
            if let refusal = spend(request, state) { return refusal }
            return json(.ok, ["handle": TestSocial.blueskyHandle, "did": TestSocial.did])
        }
        router.get("xrpc/com.atproto.repo.getRecord") { request, _ in
            if let refusal = spend(request, state) { return refusal }
            let rkey = request.uri.queryParameters.get("rkey") ?? ""
            guard let post = state.value({ $0.posts.first { $0.rkey == rkey } }) else {
                return json(.badRequest, ["error": "RecordNotFound", "message": "Could not locate record"])
            }
            return json(.ok, ["uri": "at://\(TestSocial.did)/app.bsky.feed.post/\(rkey)", "value": ["text": post.text]])
        }
        // The AppView's public read: no session, posts by AT URI (handle or DID as the authority).
        router.get("xrpc/app.bsky.feed.getPosts") { request, _ in
            let uris = request.uri.queryParameters.getAll("uris")
            let posts = state.value { data in
                uris.compactMap { uri -> [String: Any]? in
                    let parts = uri.split(separator: "/").map(String.init)
                    guard parts.count == 4, parts[0] == "at:", [TestSocial.blueskyHandle, TestSocial.did].contains(parts[1]),
                        parts[2] == "app.bsky.feed.post", let post = data.posts.first(where: { $0.rkey == parts[3] })
                    else { return nil }
                    return [
                        "uri": "at://\(TestSocial.did)/app.bsky.feed.post/\(post.rkey)", "author": ["handle": TestSocial.blueskyHandle],
                        "record": ["$type": "app.bsky.feed.post", "text": post.text, "facets": post.facets],
                    ]
                }
            }
            return json(.ok, ["posts": posts])
        }
        router.post("xrpc/com.atproto.repo.createRecord") { request, _ in
            if let refusal = spend(request, state) { return refusal }
            guard let body = try await bodyObject(request), body["repo"] as? String == TestSocial.did,
                body["collection"] as? String == "app.bsky.feed.post", let record = body["record"] as? [String: Any]
            else { return invalid("Input/repo and collection must name this account's posts") }
            guard record["$type"] as? String == "app.bsky.feed.post", let text = record["text"] as? String else {
                return invalid("Record/$type and Record/text are required")
            }
            guard let created = record["createdAt"] as? String, ISO8601DateFormatter.lenient(created) else {
                return invalid("Record/createdAt must be a valid datetime")
            }
            guard text.count <= 300 else { return invalid("Record/text must not be longer than 300 graphemes") }
            let facets = record["facets"] as? [[String: Any]] ?? []
            for facet in facets {
                guard let index = facet["index"] as? [String: Any], let start = index["byteStart"] as? Int, let end = index["byteEnd"] as? Int,
                    0 <= start, start < end, end <= text.utf8.count,
                    String(bytes: Array(text.utf8)[start..<end], encoding: .utf8) != nil
                else { return invalid("Record/facets/index must be a byte range inside the text") }
            }
            let rkey = body["rkey"] as? String ?? String(UUID().uuidString.prefix(13)).lowercased()
            let tid = Array("234567abcdefghijklmnopqrstuvwxyz")
            guard rkey.count == 13, rkey.allSatisfy(tid.contains), "234567abcdefghij".contains(rkey.first!) else {
                return invalid("Invalid record key: must be a TID")
            }
            let added = state.update { data -> Bool in
                guard !data.posts.contains(where: { $0.rkey == rkey }) else { return false }
                data.posts.append((rkey, text, facets))
                return true
            }
            guard added else { return invalid("Record already exists") }
            return json(.ok, ["uri": "at://\(TestSocial.did)/app.bsky.feed.post/\(rkey)", "cid": "bafyrei\(rkey)"])
        }
    }

    static func invalid(_ message: String) -> Response { json(.badRequest, ["error": "InvalidRequest", "message": message]) }

    static func bearer(_ request: Request) -> String {
        String((request.headers[.authorization] ?? "").dropFirst("Bearer ".count))
    }

    /// Spends one call of the access token; nil when it may be used.
    static func spend(_ request: Request, _ state: SocialState) -> Response? {
        let token = bearer(request)
        let answer = state.update { data -> String? in
            guard let left = data.tokens[token] else { return "InvalidToken" }
            guard left > 0 else { return "ExpiredToken" }
            data.tokens[token] = left - 1
            return nil
        }
        switch answer {
        case nil: return nil
        case "ExpiredToken"?: return json(.badRequest, ["error": "ExpiredToken", "message": "Token has expired"])
        default: return json(.unauthorized, ["error": "InvalidToken", "message": "Token could not be verified"])
        }
    }

    static func issue(_ state: SocialState) -> [String: Any] {
        state.update { data in
            data.issued += 1
            let access = "access-\(data.issued)"
            let refresh = "refresh-\(data.issued)"
            data.tokens[access] = data.accessUses
            data.refreshTokens.insert(refresh)
            return ["accessJwt": access, "refreshJwt": refresh, "handle": TestSocial.blueskyHandle, "did": TestSocial.did]
        }
    }
}

extension ISO8601DateFormatter {
    static func lenient(_ text: String) -> Bool {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text) != nil || ISO8601DateFormatter().date(from: text) != nil
    }
}

import Foundation
import LinkwrightCore

/// A Bluesky account through its PDS's XRPC API, signed in with the app password the tenant
/// connected (`com.atproto.server.createSession`), through the guarded fetcher.
///
/// A post is an `app.bsky.feed.post` record: `text` (at most 300 graphemes), `createdAt`
/// (required), and the link as a facet whose `byteStart`/`byteEnd` are UTF-8 byte offsets into
/// the text, not character offsets. Exactly once: the record key is a TID derived from the
/// task's mark, and the client reads that record before creating it, so a repeat finds the post
/// the first attempt made. An access token that expired (`ExpiredToken`) is refreshed once with
/// the session's refresh token.
public struct BlueskyClient: Sendable {
    public struct Post: Sendable, Equatable {
        public let uri: String
        public let rkey: String
        /// The post's public address on the Bluesky web app.
        public let url: String
    }

    struct Session: Decodable {
        var accessJwt: String
        var refreshJwt: String
        let handle: String
        let did: String
    }

    let fetcher: Fetcher
    let service: String
    let identifier: String
    let password: String
    /// Where posts are shown publicly: `https://bsky.app` for the Bluesky network.
    let appView: String

    public init(fetcher: Fetcher, serviceURL: String, identifier: String, appPassword: String, appView: String = "https://bsky.app") {
        self.fetcher = fetcher
        self.service = PlatformURL.trimmed(serviceURL)
        self.identifier = identifier
        self.password = appPassword
        self.appView = PlatformURL.trimmed(appView)
    }

    public static let maximumGraphemes = 300

    /// Who the app password signs in as (`getSession` after `createSession`): the connection test.
    public func whoAmI() async throws(PublishFailure) -> String {
        var session = try await signIn()
        struct Me: Decodable { let handle: String }
        let me: Me = try await call(&session, "GET", "com.atproto.server.getSession")
        return "@" + me.handle
    }

    /// Posts `text` with a link facet over `linkURL` where it appears, or returns the post an
    /// earlier attempt with the same `mark` made.
    public func post(_ text: String, linkURL: String, mark: String, now: Date = Date()) async throws(PublishFailure) -> Post {
        guard text.count <= Self.maximumGraphemes else {
            throw .contentRefused("the post is \(text.count) characters; Bluesky allows \(Self.maximumGraphemes)")
        }
        var session = try await signIn()
        let rkey = TID.from(mark)
        let existing = try await record(&session, rkey: rkey)
        if !existing {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            var record: [String: Any] = ["$type": "app.bsky.feed.post", "text": text, "createdAt": formatter.string(from: now)]
            if let facet = Self.linkFacet(in: text, url: linkURL) { record["facets"] = [facet] }
            let body: [String: Any] = ["repo": session.did, "collection": "app.bsky.feed.post", "rkey": rkey, "record": record]
            struct Created: Decodable { let uri: String }
            let _: Created = try await call(&session, "POST", "com.atproto.repo.createRecord", json: body)
        }
        return Post(uri: "at://\(session.did)/app.bsky.feed.post/\(rkey)", rkey: rkey, url: "\(appView)/profile/\(session.handle)/post/\(rkey)")
    }

    /// The link facet for the first place `url` appears in `text`: its UTF-8 byte range.
    static func linkFacet(in text: String, url: String) -> [String: Any]? {
        guard let range = text.range(of: url) else { return nil }
        let start = text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound)
        let end = start + text[range].utf8.count
        return [
            "index": ["byteStart": start, "byteEnd": end],
            "features": [["$type": "app.bsky.richtext.facet#link", "uri": url]],
        ]
    }

    func signIn() async throws(PublishFailure) -> Session {
        let body = (try? JSONSerialization.data(withJSONObject: ["identifier": identifier, "password": password])) ?? Data()
        let page = try await send("POST", "com.atproto.server.createSession", body: Array(body), token: nil)
        guard (200..<300).contains(page.status) else { throw Self.failure(page) }
        guard let session = try? JSONDecoder().decode(Session.self, from: Data(page.body)) else {
            throw .retryLater("Bluesky answered createSession with a body that is not a session")
        }
        return session
    }

    /// Whether the post record `rkey` exists in the account's repository.
    func record(_ session: inout Session, rkey: String) async throws(PublishFailure) -> Bool {
        let query = "com.atproto.repo.getRecord?repo=\(session.did)&collection=app.bsky.feed.post&rkey=\(rkey)"
        do {
            struct Found: Decodable { let uri: String }
            let _: Found = try await call(&session, "GET", query)
            return true
        } catch {
            if case .gone = error { return false }  // RecordNotFound
            throw error
        }
    }

    /// One authenticated call; an expired access token is refreshed once.
    func call<Reply: Decodable>(_ session: inout Session, _ method: String, _ nsid: String, json: [String: Any]? = nil)
        async throws(PublishFailure) -> Reply
    {
        let body = json.map { Array((try? JSONSerialization.data(withJSONObject: $0)) ?? Data()) }
        var page = try await send(method, nsid, body: body, token: session.accessJwt)
        if Self.errorName(page) == "ExpiredToken" {
            let refreshed = try await send("POST", "com.atproto.server.refreshSession", body: nil, token: session.refreshJwt)
            guard (200..<300).contains(refreshed.status), let renewed = try? JSONDecoder().decode(Session.self, from: Data(refreshed.body)) else {
                throw .connectionBroken("Bluesky would not renew the session (\(refreshed.status)): reconnect the account with a new app password")
            }
            session = renewed
            page = try await send(method, nsid, body: body, token: session.accessJwt)
        }
        guard (200..<300).contains(page.status) else { throw Self.failure(page) }
        do {
            return try JSONDecoder().decode(Reply.self, from: Data(page.body))
        } catch {
            throw .retryLater("Bluesky answered \(nsid) with a body that is not what its API returns")
        }
    }

    func send(_ method: String, _ nsid: String, body: [UInt8]?, token: String?) async throws(PublishFailure) -> FetchedPage {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        do {
            return try await fetcher.send(method, "\(service)/xrpc/\(nsid)", headers: headers, body: body)
        } catch {
            throw .unreachable(error, "the Bluesky service")
        }
    }

    /// XRPC's error body: `{"error": "InvalidRequest", "message": "…"}`.
    struct ErrorBody: Decodable {
        let error: String?
        let message: String?
    }

    static func errorName(_ page: FetchedPage) -> String? {
        guard !(200..<300).contains(page.status) else { return nil }
        return (try? JSONDecoder().decode(ErrorBody.self, from: Data(page.body)))?.error
    }

    static func failure(_ page: FetchedPage) -> PublishFailure {
        let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(page.body))
        let said = [body?.error, body?.message].compactMap { $0 }.joined(separator: ": ")
        switch body?.error {
        case "AuthenticationRequired", "InvalidToken", "AccountTakedown":
            return .connectionBroken("Bluesky refused the account (\(said)) — reconnect it with a new app password")
        case "RecordNotFound":
            return .gone("Bluesky: \(said)")
        default:
            let retryAfter =
                page.header("retry-after").first ?? RateLimitHeaders.exhaustedUntil(page).map { String(Int(max(1, $0.timeIntervalSinceNow))) }
            return PublishFailure.classify(status: page.status, message: said.isEmpty ? nil : said, retryAfter: retryAfter, platform: "Bluesky")
        }
    }
}

/// A record key in AT Protocol's TID form (13 characters of sortable base32 for a 64-bit number
/// whose top bit is 0), derived from a mark so that the same task always names the same record.
enum TID {
    static let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz")

    static func from(_ mark: String) -> String {
        var value = MinHashSignature.fnv1a(mark) & 0x7FFF_FFFF_FFFF_FFFF
        var characters: [Character] = []
        for _ in 0..<13 {
            characters.append(alphabet[Int(value & 31)])
            value >>= 5
        }
        return String(characters.reversed())
    }
}

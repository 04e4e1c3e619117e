import Foundation
import LinkwrightCore

/// A Mastodon account's API, signed in with the access token the tenant connected, through the
/// guarded fetcher.
///
/// Exactly once by Mastodon's own idempotency: a status is posted with `Idempotency-Key` set to
/// the task's key, and the instance answers a repeat with the status it already made. The
/// instance's character limit is read from `/api/v2/instance`, every URL counting as the
/// characters it reserves for one (23 on stock Mastodon), so an over-long post is refused here
/// with its measure instead of by the instance.
public struct MastodonClient: Sendable {
    public struct Status: Sendable, Equatable, Decodable {
        public let id: String
        public let url: String
    }

    /// When the instance's own rate-limit headers say none are left, until when.
    public struct Posted: Sendable, Equatable {
        public let status: Status
        public let exhaustedUntil: Date?
    }

    let fetcher: Fetcher
    let instance: String
    let token: String

    public init(fetcher: Fetcher, instanceURL: String, accessToken: String) {
        self.fetcher = fetcher
        self.instance = PlatformURL.trimmed(instanceURL)
        self.token = accessToken
    }

    /// Who the token signs in as (`verify_credentials`): the connection test.
    public func whoAmI() async throws(PublishFailure) -> String {
        struct Account: Decodable { let acct: String }
        let (account, _): (Account, FetchedPage) = try await call("GET", "/api/v1/accounts/verify_credentials")
        return "@" + account.acct
    }

    /// The instance's limit for a status, and the characters a URL counts for.
    public func limits() async throws(PublishFailure) -> (maxCharacters: Int, perURL: Int) {
        struct Instance: Decodable {
            struct Configuration: Decodable {
                struct Statuses: Decodable {
                    let maxCharacters: Int?
                    let charactersReservedPerUrl: Int?
                    enum CodingKeys: String, CodingKey {
                        case maxCharacters = "max_characters"
                        case charactersReservedPerUrl = "characters_reserved_per_url"
                    }
                }
                let statuses: Statuses?
            }
            let configuration: Configuration?
        }
        let (info, _): (Instance, FetchedPage) = try await call("GET", "/api/v2/instance", authorized: false)
        let statuses = info.configuration?.statuses
        return (statuses?.maxCharacters ?? 500, statuses?.charactersReservedPerUrl ?? 23)
    }

    /// Posts `text` publicly, or returns the status an earlier attempt with the same key made.
    public func post(_ text: String, idempotencyKey: String) async throws(PublishFailure) -> Posted {
        let (maximum, perURL) = try await limits()
        let length = ContentLength.tokens(text).reduce(0) { $0 + ($1.isURL ? perURL : $1.text.unicodeScalars.count) }
        guard length <= maximum else {
            throw .contentRefused("the post is \(length) characters as Mastodon counts them; this instance allows \(maximum)")
        }
        let body = (try? JSONSerialization.data(withJSONObject: ["status": text, "visibility": "public"])) ?? Data()
        let (status, page): (Status, FetchedPage) = try await call(
            "POST", "/api/v1/statuses", body: Array(body), headers: [("Idempotency-Key", idempotencyKey)])
        return Posted(status: status, exhaustedUntil: RateLimitHeaders.exhaustedUntil(page))
    }

    /// Mastodon's error body: `{"error": "…"}`.
    struct ErrorBody: Decodable { let error: String }

    func call<Reply: Decodable>(
        _ method: String, _ path: String, body: [UInt8]? = nil, headers extra: [(name: String, value: String)] = [], authorized: Bool = true
    ) async throws(PublishFailure) -> (Reply, FetchedPage) {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")] + extra
        if authorized { headers.append(("Authorization", "Bearer \(token)")) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let page: FetchedPage
        do {
            page = try await fetcher.send(method, instance + path, headers: headers, body: body)
        } catch {
            throw .unreachable(error, "the Mastodon instance")
        }
        guard (200..<300).contains(page.status) else {
            let message = (try? JSONDecoder().decode(ErrorBody.self, from: Data(page.body)))?.error
            if page.status == 404, message == nil { throw .gone("there is no Mastodon API at \(instance) (404)") }
            let retryAfter =
                page.header("retry-after").first ?? RateLimitHeaders.exhaustedUntil(page).map { String(Int(max(1, $0.timeIntervalSinceNow))) }
            throw PublishFailure.classify(status: page.status, message: message, retryAfter: retryAfter, platform: "Mastodon")
        }
        do {
            return (try JSONDecoder().decode(Reply.self, from: Data(page.body)), page)
        } catch {
            throw .retryLater("Mastodon answered \(page.status) with a body that is not what its API returns")
        }
    }
}

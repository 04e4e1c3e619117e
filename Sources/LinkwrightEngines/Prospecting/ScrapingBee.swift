import Foundation

/// ScrapingBee's HTTP API: `GET /api/v1/?api_key=…&url=…&render_js=true|false` answers with the
/// target page itself; `Spb-cost` says how many credits the request cost, and
/// `Spb-initial-status-code` the target's own status. ScrapingBee charges for answers it fetched
/// (the target's 2xx and 404 among them), not for its own failures (500) or refusals (401 for a
/// wrong key or no credits left, 429 past the account's concurrency).
public struct ScrapingBee: PremiumProvider {
    public let name = "scrapingbee"
    let fetcher: Fetcher
    let baseURL: String
    let apiKey: String

    /// `baseURL` is `https://app.scrapingbee.com` unless a stand-in is used.
    public init(fetcher: Fetcher, apiKey: String, baseURL: String = "https://app.scrapingbee.com") {
        self.fetcher = fetcher
        self.apiKey = apiKey
        self.baseURL = PlatformURL.trimmed(baseURL)
    }

    public func fetch(_ url: String, renderJS: Bool) async throws(PremiumFailure) -> PremiumPage {
        var components = URLComponents(string: baseURL + "/api/v1/")
        components?.queryItems = [
            URLQueryItem(name: "api_key", value: apiKey), URLQueryItem(name: "url", value: url),
            URLQueryItem(name: "render_js", value: renderJS ? "true" : "false"),
        ]
        // `+` is a space in a query; the target URL's own must survive.
        let query = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        components?.percentEncodedQuery = query
        guard let request = components?.string else { throw .failed("the provider URL is not valid: \(baseURL)") }
        let page: FetchedPage
        do {
            page = try await fetcher.send("GET", request)
        } catch {
            throw .failed(String(describing: error))
        }
        let credits = page.header("spb-cost").first.flatMap { Int($0) } ?? (renderJS ? 5 : 1)
        let initial = page.header("spb-initial-status-code").first.flatMap { Int($0) }
        switch page.status {
        case 200..<300, 404:
            return PremiumPage(status: initial ?? page.status, body: page.body, credits: credits)
        case 401, 402, 403:
            throw .account(Self.message(page))
        case 429:
            let wait = page.header("retry-after").first.flatMap(RetryAfter.seconds) ?? 1
            throw .busy(retryAfter: .seconds(max(1, wait)))
        default:
            throw .failed("HTTP \(page.status): \(Self.message(page))")
        }
    }

    /// The provider's own words: its JSON error's `message` (or `error`), else the body's start.
    static func message(_ page: FetchedPage) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(page.body)) as? [String: Any] {
            if let message = object["message"] as? String ?? object["error"] as? String { return String(message.prefix(300)) }
        }
        return String(String(decoding: page.body.prefix(300), as: UTF8.self))
    }
}

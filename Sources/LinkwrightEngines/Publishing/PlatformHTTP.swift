import Foundation

/// A platform's address as a tenant connected it, without the trailing slashes its API paths add.
enum PlatformURL {
    static func trimmed(_ url: String) -> String {
        var root = url
        while root.hasSuffix("/") { root.removeLast() }
        return root
    }
}

/// The rate-limit headers platforms send (`X-RateLimit-Remaining`/`-Reset` as Mastodon does,
/// `ratelimit-remaining`/`-reset` as Bluesky and the IETF draft do): when none are left, until
/// when. Such an answer holds the account, tightening its own limits.
enum RateLimitHeaders {
    static func exhaustedUntil(_ page: FetchedPage, now: Date = Date()) -> Date? {
        guard let remaining = (page.header("x-ratelimit-remaining").first ?? page.header("ratelimit-remaining").first).flatMap({ Int($0) }),
            remaining <= 0,
            let reset = page.header("x-ratelimit-reset").first ?? page.header("ratelimit-reset").first
        else { return nil }
        if let seconds = Double(reset) {
            // An epoch time (Bluesky) or, when small, seconds from now (the IETF draft).
            return seconds > 1_000_000_000 ? Date(timeIntervalSince1970: seconds) : now.addingTimeInterval(seconds)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: reset) ?? ISO8601DateFormatter().date(from: reset)
    }
}

/// The cookies a platform set during one signed-in conversation (forms and APIs that sign in
/// with a session cookie rather than a token).
struct CookieJar {
    var cookies: [String: String] = [:]
    var header: String { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    mutating func store(_ page: FetchedPage) {
        for cookie in page.header("set-cookie") {
            guard let pair = cookie.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { continue }
            cookies[String(pair[..<equals]).trimmingCharacters(in: .whitespaces)] = String(pair[pair.index(after: equals)...])
        }
    }
}

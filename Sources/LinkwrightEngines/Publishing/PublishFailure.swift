import Foundation

/// Why a platform did not take what an engine sent, sorted by what should happen next: a person
/// reads the reason, so it names the platform's own message where there is one.
public enum PublishFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Try again later (429, 5xx, a timeout, the network); `after` is the platform's
    /// `Retry-After` when it gave one.
    case retryLater(String, after: Duration? = nil)
    /// The account no longer works (401, 403 on sign-in, a revoked password): the connection is
    /// marked failing and its work waits for a person; retrying blindly would not help.
    case connectionBroken(String)
    /// The platform refused the content (400, 422, a duplicate, too long): the draft goes back to
    /// review with the platform's message.
    case contentRefused(String)
    /// The site or page is gone, or does not let us in (404, 410, robots.txt): the slot is
    /// skipped with the reason.
    case gone(String)

    public var description: String {
        switch self {
        case .retryLater(let reason, _), .connectionBroken(let reason), .contentRefused(let reason), .gone(let reason): reason
        }
    }

    /// Sorts an HTTP answer that was not a success. `message` is the platform's own words.
    static func classify(status: Int, message: String?, retryAfter: String?, platform: String) -> PublishFailure {
        let said = message.map { ": \($0)" } ?? ""
        switch status {
        case 401: return .connectionBroken("\(platform) refused the credentials (401)\(said) — reconnect the account")
        case 403: return .connectionBroken("\(platform) does not let this account do that (403)\(said)")
        case 404, 410: return .gone("\(platform) answered \(status)\(said)")
        case 408, 425, 429:
            return .retryLater(
                "\(platform) asked us to slow down (\(status))\(said)", after: retryAfter.flatMap(RetryAfter.seconds).map { .seconds($0) })
        case 400..<500: return .contentRefused("\(platform) refused the content (\(status))\(said)")
        default: return .retryLater("\(platform) answered \(status)\(said)", after: retryAfter.flatMap(RetryAfter.seconds).map { .seconds($0) })
        }
    }

    /// A platform that could not be reached: an address the guard refuses or that does not
    /// resolve is gone; a timeout or a dropped connection is worth another try. `what` names it.
    static func unreachable(_ error: FetchFailure, _ what: String) -> PublishFailure {
        switch error {
        case .refusedTarget, .invalidURL, .unresolvable: .gone("\(what) cannot be reached: \(error)")
        default: .retryLater("\(what) did not answer: \(error)")
        }
    }
}

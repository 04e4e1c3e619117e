import Foundation

/// A paid page-fetching API (ScrapingBee and its kind): it fetches a page from its own network,
/// optionally rendering its JavaScript in a browser, and charges credits per request.
public protocol PremiumProvider: Sendable {
    /// The provider's name, as metrics and reports show it.
    var name: String { get }
    func fetch(_ url: String, renderJS: Bool) async throws(PremiumFailure) -> PremiumPage
}

/// A page the provider fetched.
public struct PremiumPage: Sendable {
    /// The target site's own status.
    public let status: Int
    public let body: [UInt8]
    /// What the request cost, as the provider said.
    public let credits: Int
}

public enum PremiumFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The provider refused the account (no credits left, a wrong key): no request will work
    /// until an operator fixes it.
    case account(String)
    /// The account's concurrency was passed: ask again after `retryAfter`.
    case busy(retryAfter: Duration)
    /// The provider could not fetch the page (its own failure; not charged).
    case failed(String)

    public var description: String {
        switch self {
        case .account(let message): "the premium provider refused the account: \(message)"
        case .busy: "the premium provider's concurrency limit was reached"
        case .failed(let message): "the premium provider could not fetch the page: \(message)"
        }
    }
}

/// Slots of the premium provider's concurrency shared by every job and process: a request holds
/// one while it runs. Above the cap requests wait; none is dropped.
public protocol PremiumSlots: Sendable {
    /// Waits for a slot; the returned token is given back with `release`.
    func acquire() async -> String
    func release(_ token: String) async
}

/// What a unit of work is charged as. The price of one unit of each kind is platform data
/// (`unit_costs`); the ledger keeps the amount computed when the cost was recorded.
public enum CostKind: String, Sendable, Codable, CaseIterable {
    case placement
    case verification
    case llmTokens = "llm_tokens"
    case scrapeCredits = "scrape_credits"
    case fetch
}

/// An amount of one kind of work, in that kind's unit (placements, checks, tokens, credits,
/// requests). Engines report what they used; the completion prices and records it.
public struct Usage: Sendable, Equatable, Codable {
    public let kind: CostKind
    public let quantity: Int64

    public init(_ kind: CostKind, _ quantity: Int64) {
        self.kind = kind
        self.quantity = max(0, quantity)
    }
}

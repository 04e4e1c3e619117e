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
    /// For model tokens: whose, and how many went in and came out. Providers price prompt and
    /// completion tokens differently and far apart, so the completion prices these at the
    /// provider's own rates (`provider_token_costs`) rather than one price per token.
    public let tokens: ModelTokens?

    public init(_ kind: CostKind, _ quantity: Int64) {
        self.kind = kind
        self.quantity = max(0, quantity)
        self.tokens = nil
    }

    /// Tokens one provider used, charged as `llm_tokens`.
    public init(_ tokens: ModelTokens) {
        self.kind = .llmTokens
        self.quantity = tokens.input + tokens.output
        self.tokens = tokens
    }
}

/// Prompt (`input`) and completion (`output`) tokens of one provider.
public struct ModelTokens: Sendable, Equatable, Codable {
    public let provider: String
    public let input: Int64
    public let output: Int64

    public init(provider: String, input: Int64, output: Int64) {
        self.provider = provider
        self.input = max(0, input)
        self.output = max(0, output)
    }
}

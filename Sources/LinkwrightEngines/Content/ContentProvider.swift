import Foundation
import LinkwrightCore

/// Something that writes a draft from a prompt: a language model behind an HTTP API, or the
/// built-in offline writer. Providers do one attempt; retries, timeouts, the circuit breaker and
/// fallback to the next provider belong to `ContentGenerator`, the same for all of them.
public protocol ContentProvider: Sendable {
    /// The provider's configuration name (`template`, `openai`, `anthropic`, `gemini`): the
    /// metric label and the usage kind.
    var name: String { get }
    func generate(_ prompt: ContentPrompt, brief: ContentBrief, timeout: Duration) async throws(ProviderError) -> ProviderReply
}

/// What a provider wrote and what it cost.
public struct ProviderReply: Sendable, Equatable {
    public let text: String
    public let tokensIn: Int
    public let tokensOut: Int
    public let model: String

    public init(text: String, tokensIn: Int, tokensOut: Int, model: String) {
        self.text = text
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.model = model
    }
}

/// Why one attempt failed, as far as what to do next is concerned.
public enum ProviderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 429: try again, after `retryAfter` when the provider said.
    case rateLimited(retryAfter: Duration?)
    /// 5xx, a dropped connection: try again.
    case unavailable(String)
    case timedOut
    /// A 2xx whose body is not the provider's format, or has no text: another attempt may do better.
    case malformed(String)
    /// 4xx other than 429 (bad key, unknown model, refused content): retrying will not help.
    case refused(String)

    public var retryable: Bool {
        switch self {
        case .refused: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .rateLimited(let after): "rate limited" + (after.map { " (retry after \($0))" } ?? "")
        case .unavailable(let why): "unavailable: \(why)"
        case .timedOut: "timed out"
        case .malformed(let why): "malformed reply: \(why)"
        case .refused(let why): "refused: \(why)"
        }
    }
}

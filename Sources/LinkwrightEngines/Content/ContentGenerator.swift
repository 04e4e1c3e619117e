import Foundation
import LinkwrightCore

/// What the generator tells whoever keeps metrics: every attempt's outcome and time by provider,
/// and every breaker state change. Bounded labels only: provider names and outcome words.
public protocol ContentObserver: Sendable {
    func attempted(provider: String, outcome: String, duration: Duration)
    func breaker(provider: String, state: CircuitBreaker.State)
}

/// Writes a draft with the configured providers in order: each one is tried with retries (on
/// 429, 5xx, timeouts and malformed replies; `Retry-After` honoured; exponential backoff with
/// jitter otherwise) behind its circuit breaker, and the next one takes over when it gives up.
public struct ContentGenerator: Sendable {
    public struct Policy: Sendable {
        public var attempts: Int
        public var timeout: Duration
        public var backoff: Duration
        /// A `Retry-After` longer than this moves on to the next provider instead of waiting.
        public var longestWait: Duration

        public init(attempts: Int = 3, timeout: Duration = .seconds(60), backoff: Duration = .milliseconds(500), longestWait: Duration = .seconds(20))
        {
            self.attempts = attempts
            self.timeout = timeout
            self.backoff = backoff
            self.longestWait = longestWait
        }
    }

    public struct Generated: Sendable, Equatable {
        public let provider: String
        public let reply: ProviderReply
        /// Attempts the writing provider took (earlier providers' failures are not billed: a
        /// failed request reports no tokens).
        public let attempts: Int
    }

    public struct Exhausted: Error, CustomStringConvertible {
        /// Provider name and its last error, in the order tried.
        public let failures: [(String, String)]
        public var description: String {
            "no provider could write the draft: " + failures.map { "\($0.0): \($0.1)" }.joined(separator: "; ")
        }
    }

    let providers: [(any ContentProvider, CircuitBreaker)]
    let policy: Policy
    let observer: (any ContentObserver)?
    let sleep: @Sendable (Duration) async throws -> Void

    public init(
        providers: [any ContentProvider], policy: Policy = Policy(), observer: (any ContentObserver)? = nil,
        breaker: @Sendable () -> CircuitBreaker = { CircuitBreaker() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.providers = providers.map { ($0, breaker()) }
        self.policy = policy
        self.observer = observer
        self.sleep = sleep
    }

    public var providerNames: [String] { providers.map(\.0.name) }

    /// The breaker of each provider, by name, for the metric.
    public var breakers: [(String, CircuitBreaker.State)] { providers.map { ($0.0.name, $0.1.state) } }

    public func generate(_ brief: ContentBrief) async throws -> Generated {
        let prompt = ContentPrompt(brief)
        var failures: [(String, String)] = []
        for (provider, breaker) in providers {
            var attempts = 0
            var last = "circuit open: skipped"
            attempting: while attempts < policy.attempts {
                guard breaker.allow() else { break }
                let before = breaker.state
                attempts += 1
                let start = ContinuousClock.now
                do {
                    let reply = try await provider.generate(prompt, brief: brief, timeout: policy.timeout)
                    guard !reply.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ProviderError.malformed("empty text") }
                    observer?.attempted(provider: provider.name, outcome: "success", duration: .now - start)
                    breaker.succeeded()
                    if before != .closed { observer?.breaker(provider: provider.name, state: .closed) }
                    return Generated(provider: provider.name, reply: reply, attempts: attempts)
                } catch let error as ProviderError {
                    observer?.attempted(provider: provider.name, outcome: Self.outcome(error), duration: .now - start)
                    breaker.failed()
                    if breaker.state != before { observer?.breaker(provider: provider.name, state: breaker.state) }
                    last = error.description
                    guard error.retryable, attempts < policy.attempts else { break attempting }
                    let wait: Duration
                    if case .rateLimited(let after?) = error {
                        guard after <= policy.longestWait else { break attempting }
                        wait = after
                    } else {
                        let base = policy.backoff * (1 << (attempts - 1))
                        wait = base + base * Double.random(in: 0..<0.5)
                    }
                    try await sleep(wait)
                }
            }
            failures.append((provider.name, last))
        }
        throw Exhausted(failures: failures)
    }

    static func outcome(_ error: ProviderError) -> String {
        switch error {
        case .rateLimited: "rate_limited"
        case .unavailable: "unavailable"
        case .timedOut: "timeout"
        case .malformed: "malformed"
        case .refused: "refused"
        }
    }
}

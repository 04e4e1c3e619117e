import Foundation
import NIOConcurrencyHelpers

/// One provider's circuit breaker: after `threshold` failures in a row it opens and the provider
/// is skipped; after `coolDown` one probe is let through (half-open); the probe's success closes
/// it, its failure opens it again for another cool-down. So a provider that is down costs one
/// request per cool-down, not every draft's retries.
public final class CircuitBreaker: Sendable {
    public enum State: String, Sendable {
        case closed, open
        case halfOpen = "half_open"
    }

    struct Inner {
        var state: State = .closed
        var failures = 0
        var openedAt: ContinuousClock.Instant?
        var probing = false
    }

    let threshold: Int
    let coolDown: Duration
    let inner = NIOLockedValueBox(Inner())

    public init(threshold: Int = 5, coolDown: Duration = .seconds(30)) {
        self.threshold = threshold
        self.coolDown = coolDown
    }

    public var state: State { inner.withLockedValue { $0.state } }

    /// Whether a request may go now; in half-open, only the first caller gets to probe.
    public func allow(now: ContinuousClock.Instant = .now) -> Bool {
        inner.withLockedValue { s in
            switch s.state {
            case .closed:
                return true
            case .open:
                guard let opened = s.openedAt, now - opened >= coolDown else { return false }
                s.state = .halfOpen
                s.probing = true
                return true
            case .halfOpen:
                guard !s.probing else { return false }
                s.probing = true
                return true
            }
        }
    }

    public func succeeded() {
        inner.withLockedValue { $0 = Inner() }
    }

    public func failed(now: ContinuousClock.Instant = .now) {
        inner.withLockedValue { s in
            s.failures += 1
            s.probing = false
            if s.state == .halfOpen || s.failures >= threshold {
                s.state = .open
                s.openedAt = now
            }
        }
    }
}

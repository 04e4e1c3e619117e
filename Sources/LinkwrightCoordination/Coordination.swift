import Foundation
import Logging
import LinkwrightEngines
import NIOConcurrencyHelpers

/// Redis when it answers, this process alone when it does not. Every call tries Redis (the
/// client itself backs off between reconnects, so a dead Redis costs a fast failure); a failure
/// switches to the local implementation with a conservative share of the limit, logs once,
/// raises `degraded`, and the first success afterwards switches back. No caller ever sees
/// Redis's failure.
public final class Coordination: Sendable {
    let redis: RedisClient?
    let local = LocalRateLimiter()
    let localActions = LocalActionLimiter()
    let logger: Logger
    let health: CoordinationHealth
    /// Live progress, fanned out through Redis's pub/sub.
    public let events: LiveEvents

    /// `onChange` is called with true when coordination falls back to this process, false when it recovers.
    public init(redis: RedisClient?, logger: Logger, onChange: @escaping @Sendable (Bool) -> Void = { _ in }) {
        self.redis = redis
        self.logger = logger
        let health = CoordinationHealth(logger: logger, onChange: onChange)
        self.health = health
        self.events = LiveEvents(redis: redis, health: health.mark)
    }

    /// True while Redis is configured but unreachable.
    public var degraded: Bool { health.degraded }

    func mark(_ degraded: Bool, _ error: (any Error)? = nil) { health.mark(degraded, error) }

    /// The rate limiter every API process shares.
    public var rateLimiter: any RateLimiter { SharedRateLimiter(coordination: self) }

    /// Connected accounts' action limits, shared by every worker process (and the API, which
    /// shows their usage).
    public var actionLimiter: any ActionLimiter { SharedActionLimiter(coordination: self) }
}

struct SharedRateLimiter: RateLimiter {
    let coordination: Coordination

    func decide(key: String, limit: RateLimit) async -> RateDecision {
        guard let redis = coordination.redis else { return await coordination.local.decide(key: key, limit: limit) }
        do {
            let decision = try await RedisRateLimiter(redis: redis).decideOrThrow(key: key, limit: limit)
            coordination.mark(false)
            return decision
        } catch {
            coordination.mark(true, error)
            // Other processes may be spending the same allowance meanwhile: each keeps to half.
            return await coordination.local.decide(key: key, limit: RateLimit(limit: max(1, limit.limit / 2), period: limit.period))
        }
    }
}

/// Whether Redis answers, as the last call found it; says so once per change.
final class CoordinationHealth: Sendable {
    let logger: Logger
    let onChange: @Sendable (Bool) -> Void
    private let state = NIOLockedValueBox(false)

    init(logger: Logger, onChange: @escaping @Sendable (Bool) -> Void) {
        self.logger = logger
        self.onChange = onChange
    }

    var degraded: Bool { state.withLockedValue { $0 } }

    @Sendable func mark(_ degraded: Bool, _ error: (any Error)?) {
        let changed = state.withLockedValue { state -> Bool in
            defer { state = degraded }
            return state != degraded
        }
        guard changed else { return }
        if degraded {
            logger.warning(
                "Redis unreachable; limits are kept in this process, conservatively, until it is back",
                metadata: ["error": "\(error.map { String(describing: $0) } ?? "")"])
        } else {
            logger.info("Redis is back; limits are shared again")
        }
        onChange(degraded)
    }
}

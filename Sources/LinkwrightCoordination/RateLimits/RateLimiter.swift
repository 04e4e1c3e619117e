import Foundation
import Logging
import NIOConcurrencyHelpers

/// A rate limit: `limit` requests per `period`, bursts up to `limit` allowed.
public struct RateLimit: Sendable, Equatable {
    public let limit: Int
    public let period: Duration
    public init(limit: Int, period: Duration) {
        self.limit = max(1, limit)
        self.period = period
    }
    /// GCRA's emission interval: one request's share of the period, in milliseconds.
    var intervalMS: Double { Double(period.components.seconds) * 1000 / Double(limit) + Double(period.components.attoseconds) / 1e15 / Double(limit) }
}

/// One decision, with what the `RateLimit` response headers report.
public struct RateDecision: Sendable, Equatable {
    public let allowed: Bool
    public let remaining: Int
    /// When the next request would be allowed (0 if now), in seconds, rounded up.
    public let retryAfter: Int
    /// When the allowance is whole again, in seconds, rounded up.
    public let reset: Int
}

/// Decides requests against limits, shared by every process that uses the same store.
public protocol RateLimiter: Sendable {
    func decide(key: String, limit: RateLimit) async -> RateDecision
}

/// GCRA (the generic cell rate algorithm): one timestamp per key, the theoretical arrival time
/// of the next request. Exact, constant memory per key, and the same arithmetic as the Redis
/// script, so switching between them changes nothing a client can see.
enum GCRA {
    static func decide(tat stored: Double?, now: Double, limit: RateLimit) -> (decision: RateDecision, newTAT: Double?) {
        let interval = limit.intervalMS
        let tolerance = interval * Double(limit.limit)
        let tat = max(stored ?? now, now)
        let newTAT = tat + interval
        let allowAt = newTAT - tolerance
        if now < allowAt {
            return (
                RateDecision(
                    allowed: false, remaining: 0, retryAfter: Int(((allowAt - now) / 1000).rounded(.up)),
                    reset: Int(((tat - now) / 1000).rounded(.up))), nil
            )
        }
        let remaining = Int(((now - allowAt) / interval).rounded(.down))
        return (
            RateDecision(
                allowed: true, remaining: min(remaining, limit.limit - 1), retryAfter: 0,
                reset: Int(((newTAT - now) / 1000).rounded(.up))), newTAT
        )
    }
}

/// This process alone: right for one node, and the fallback while Redis is away.
public final class LocalRateLimiter: RateLimiter {
    private let state = NIOLockedValueBox<[String: Double]>([:])
    let now: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 * 1000 }) {
        self.now = now
    }

    public func decide(key: String, limit: RateLimit) async -> RateDecision {
        let now = now()
        return state.withLockedValue { tats in
            if tats.count > 100_000 { tats = tats.filter { $0.value > now } }  // forget idle keys
            let (decision, newTAT) = GCRA.decide(tat: tats[key], now: now, limit: limit)
            if let newTAT { tats[key] = newTAT }
            return decision
        }
    }
}

/// Every process sharing one Redis enforces one combined limit: the whole decision is one Lua
/// script (read, decide, write with an expiry), atomic in Redis, timed by Redis's own clock.
/// It throws when Redis does not answer; `Coordination` decides what happens then.
struct RedisRateLimiter {
    let redis: RedisClient

    static let script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local interval = tonumber(ARGV[1])
        local tolerance = interval * tonumber(ARGV[2])
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local new_tat = tat + interval
        local allow_at = new_tat - tolerance
        if now < allow_at then
          return {0, 0, math.ceil((allow_at - now) / 1000), math.ceil((tat - now) / 1000)}
        end
        -- At least 1 ms: a tiny interval can round new_tat to now at millisecond-epoch precision.
        redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.max(1, math.ceil(new_tat - now)))
        local remaining = math.floor((now - allow_at) / interval)
        if remaining > tonumber(ARGV[2]) - 1 then remaining = tonumber(ARGV[2]) - 1 end
        return {1, remaining, 0, math.ceil((new_tat - now) / 1000)}
        """

    func decideOrThrow(key: String, limit: RateLimit) async throws -> RateDecision {
        let reply = try await redis.eval(Self.script, keys: ["lw:rl:\(key)"], arguments: [String(limit.intervalMS), String(limit.limit)])
        guard let values = reply.array?.compactMap(\.int), values.count == 4 else { throw RedisError(message: "unexpected rate-limit reply") }
        return RateDecision(allowed: values[0] == 1, remaining: Int(values[1]), retryAfter: Int(values[2]), reset: Int(values[3]))
    }
}

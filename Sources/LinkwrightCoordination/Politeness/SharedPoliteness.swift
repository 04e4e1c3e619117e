import Foundation
import LinkwrightCore
import LinkwrightEngines

/// Per-domain politeness shared by every worker process through Redis: one key per registrable
/// domain holds when its next request may go, reserved atomically by a script on Redis's clock.
/// While Redis is away, this process paces itself at half the rate (two seconds apart by
/// default), because other processes may be pacing themselves too.
public struct SharedPoliteness: Politeness {
    let coordination: Coordination
    let interval: Duration
    let suffixes: PublicSuffixList
    let fallback: LocalPoliteness

    public init(coordination: Coordination, interval: Duration = .seconds(1), suffixes: PublicSuffixList) {
        self.coordination = coordination
        self.interval = interval
        self.suffixes = suffixes
        self.fallback = LocalPoliteness(interval: interval * 2, suffixes: suffixes)
    }

    /// Reserves the domain's next slot: returns how long to wait for it and the slot itself, in
    /// milliseconds (Redis's clock). The spacing is the larger of the default and the domain's
    /// crawl delay (kept in its own key).
    static let reserve = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local spacing = tonumber(ARGV[1])
        local delay = tonumber(redis.call('GET', KEYS[2]) or 0)
        if delay > spacing then spacing = delay end
        local slot = tonumber(redis.call('GET', KEYS[1]) or now)
        if slot < now then slot = now end
        redis.call('SET', KEYS[1], tostring(slot + spacing), 'PX', math.ceil(slot + spacing - now) + 1000)
        return {math.floor(slot - now), math.floor(slot)}
        """

    static let pushBack = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local untilAt = now + tonumber(ARGV[1])
        local slot = tonumber(redis.call('GET', KEYS[1]) or 0)
        if untilAt > slot then redis.call('SET', KEYS[1], tostring(untilAt), 'PX', tonumber(ARGV[1]) + 1000) end
        return 0
        """

    func keys(_ host: String) -> [String] {
        let domain = suffixes.registrableDomain(of: host)
        return ["lw:pol:\(domain)", "lw:pol:delay:\(domain)"]
    }

    public func waitForTurn(host: String) async {
        guard coordination.redis != nil else { return await fallback.waitForTurn(host: host) }
        do {
            let reserved = try await reserve(host: host)
            coordination.mark(false)
            if reserved.wait > .zero { try? await Task.sleep(for: reserved.wait) }
        } catch {
            coordination.mark(true, error)
            await fallback.waitForTurn(host: host)
        }
    }

    /// Reserves `host`'s next slot in Redis without waiting for it: how long until it comes, and
    /// the slot on Redis's clock in milliseconds.
    public func reserve(host: String) async throws -> (wait: Duration, slot: Int64) {
        guard let redis = coordination.redis else { throw RedisError(message: "no Redis configured") }
        let reply = try await redis.eval(Self.reserve, keys: keys(host), arguments: [String(interval.wholeMilliseconds)])
        guard let values = reply.array?.compactMap(\.int), values.count == 2 else { throw RedisError(message: "unexpected reservation reply") }
        return (.milliseconds(max(0, values[0])), values[1])
    }

    public func pushBack(host: String, by delay: Duration) async {
        await fallback.pushBack(host: host, by: delay)
        guard let redis = coordination.redis else { return }
        _ = try? await redis.eval(Self.pushBack, keys: [keys(host)[0]], arguments: [String(delay.wholeMilliseconds)])
    }

    public func setCrawlDelay(host: String, _ delay: Duration) async {
        await fallback.setCrawlDelay(host: host, delay * 2)
        guard let redis = coordination.redis else { return }
        _ = try? await redis.command("SET", keys(host)[1], String(min(delay, Duration.seconds(60)).wholeMilliseconds), "EX", "86400")
    }
}

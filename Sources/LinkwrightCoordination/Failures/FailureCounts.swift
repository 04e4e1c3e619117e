import Foundation
import LinkwrightCore
import NIOConcurrencyHelpers

/// Recent failures per key (a sign-in account, a client address), shared by every API process
/// through Redis so spreading guesses over processes gains nothing. A count is forgotten once
/// `window` passes without a failure. Without Redis, or while it is away, this process counts
/// alone.
public final class FailureCounts: Sendable {
    public struct Record: Sendable, Equatable {
        public let failures: Int
        /// The latest failure, in milliseconds since 1970 (Redis's clock when shared).
        public let lastMS: Double
    }

    let coordination: Coordination
    let window: Duration
    private let local = NIOLockedValueBox<[String: Record]>([:])

    public init(coordination: Coordination, window: Duration) {
        self.coordination = coordination
        self.window = window
    }

    static func key(_ key: String) -> String { "lw:fail:\(key)" }

    static let bump = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        for i = 1, #KEYS do
          local last = tonumber(redis.call('HGET', KEYS[i], 'last') or '0')
          if now - last >= tonumber(ARGV[1]) then redis.call('HSET', KEYS[i], 'n', 0) end
          redis.call('HINCRBY', KEYS[i], 'n', 1)
          redis.call('HSET', KEYS[i], 'last', now)
          redis.call('PEXPIRE', KEYS[i], ARGV[1])
        end
        return now
        """

    /// Every key's count and last failure, and Redis's clock, in one round trip (a sign-in reads
    /// two keys before anything else happens).
    static let readScript = """
        local t = redis.call('TIME')
        local out = {tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)}
        for i = 1, #KEYS do
          local v = redis.call('HMGET', KEYS[i], 'n', 'last')
          out[#out + 1] = tonumber(v[1] or '-1')
          out[#out + 1] = tonumber(v[2] or '-1')
        end
        return out
        """

    /// The current record of each key (nil when it has none within the window), and now.
    public func read(_ keys: [String]) async -> (records: [Record?], nowMS: Double) {
        if let redis = coordination.redis {
            do {
                let values = try await redis.eval(Self.readScript, keys: keys.map(Self.key), arguments: []).array?.compactMap(\.int) ?? []
                guard values.count == 1 + 2 * keys.count else { throw RedisError(message: "unexpected failure-count reply") }
                coordination.mark(false)
                let records: [Record?] = keys.indices.map { i in
                    let n = values[1 + 2 * i]
                    let last = values[2 + 2 * i]
                    return n < 0 || last < 0 ? nil : Record(failures: Int(n), lastMS: Double(last))
                }
                return (records, Double(values[0]))
            } catch {
                coordination.mark(true, error)
            }
        }
        let now = Self.wallClockMS()
        let windowMS = window.inMilliseconds
        let records = local.withLockedValue { local in keys.map { key in local[key].flatMap { now - $0.lastMS < windowMS ? $0 : nil } } }
        return (records, now)
    }

    public func recordFailure(_ keys: [String]) async {
        let now = Self.wallClockMS()
        let windowMS = window.inMilliseconds
        local.withLockedValue { local in
            if local.count > 100_000 { local = local.filter { now - $0.value.lastMS < windowMS } }
            for key in keys {
                let previous = local[key].flatMap { now - $0.lastMS < windowMS ? $0.failures : nil } ?? 0
                local[key] = Record(failures: previous + 1, lastMS: now)
            }
        }
        guard let redis = coordination.redis else { return }
        do {
            _ = try await redis.eval(Self.bump, keys: keys.map(Self.key), arguments: [String(Int64(windowMS))])
            coordination.mark(false)
        } catch {
            coordination.mark(true, error)
        }
    }

    public func clear(_ key: String) async {
        local.withLockedValue { _ = $0.removeValue(forKey: key) }
        guard let redis = coordination.redis else { return }
        do {
            _ = try await redis.command("DEL", Self.key(key))
        } catch {
            coordination.mark(true, error)
        }
    }

    static func wallClockMS() -> Double { Date().timeIntervalSince1970 * 1000 }
}

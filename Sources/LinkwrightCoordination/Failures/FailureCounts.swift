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

    /// The current record of each key (nil when it has none within the window), and now.
    public func read(_ keys: [String]) async -> (records: [Record?], nowMS: Double) {
        if let redis = coordination.redis {
            do {
                var records: [Record?] = []
                for key in keys {
                    let values = try await redis.command("HMGET", Self.key(key), "n", "last").array ?? []
                    if values.count == 2, let n = values[0].int, let last = values[1].int {
                        records.append(Record(failures: Int(n), lastMS: Double(last)))
                    } else {
                        records.append(nil)
                    }
                }
                let time = try await redis.command("TIME").array?.compactMap(\.int) ?? []
                coordination.mark(false)
                let now = time.count == 2 ? Double(time[0]) * 1000 + Double(time[1] / 1000) : Self.wallClockMS()
                return (records, now)
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
        let now = Self.wallClockMS(), windowMS = window.inMilliseconds
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

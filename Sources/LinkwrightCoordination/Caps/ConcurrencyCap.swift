import Foundation
import LinkwrightCore
import NIOConcurrencyHelpers

/// At most `limit` holders at once across every process (a paid API's account limit, say).
/// Each holder has a lease: a slot whose holder crashed comes back when its lease runs out.
/// In Redis, a sorted set of holders scored by lease expiry; without Redis, this process alone.
public final class ConcurrencyCap: Sendable {
    public let name: String
    public let limit: Int
    let lease: Duration
    let coordination: Coordination
    private let local: NIOLockedValueBox<[String: ContinuousClock.Instant]>

    public init(name: String, limit: Int, lease: Duration, coordination: Coordination) {
        self.name = name
        self.limit = limit
        self.lease = lease
        self.coordination = coordination
        self.local = NIOLockedValueBox([:])
    }

    static let acquire = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
        return 1
        """

    /// A slot's token, or nil when the cap is reached.
    public func tryAcquire() async -> String? {
        let token = UUID().uuidString
        let leaseMS = lease.wholeMilliseconds
        if let redis = coordination.redis {
            do {
                let granted = try await redis.eval(Self.acquire, keys: ["lw:cap:\(name)"], arguments: [String(limit), String(leaseMS), token]).int
                coordination.mark(false)
                return granted == 1 ? token : nil
            } catch {
                coordination.mark(true, error)
            }
        }
        // Alone, a process keeps to half the cap: the others may still hold theirs.
        let localLimit = coordination.redis == nil ? limit : max(1, limit / 2)
        let now = ContinuousClock.now
        return local.withLockedValue { holders in
            holders = holders.filter { $0.value > now }
            guard holders.count < localLimit else { return nil }
            holders[token] = now + lease
            return token
        }
    }

    static let renew = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        for i = 2, #ARGV do
          if redis.call('ZSCORE', KEYS[1], ARGV[i]) then redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
        end
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 1000)
        return 1
        """

    /// Extends the leases of slots still held (long work outlives one lease); a slot that had
    /// already expired stays gone.
    public func renew(_ tokens: [String]) async {
        guard !tokens.isEmpty else { return }
        let until = ContinuousClock.now + lease
        local.withLockedValue { holders in for token in tokens where holders[token] != nil { holders[token] = until } }
        guard let redis = coordination.redis else { return }
        do {
            _ = try await redis.eval(Self.renew, keys: ["lw:cap:\(name)"], arguments: [String(lease.wholeMilliseconds)] + tokens)
            coordination.mark(false)
        } catch {
            coordination.mark(true, error)
        }
    }

    public func release(_ token: String) async {
        local.withLockedValue { _ = $0.removeValue(forKey: token) }
        _ = try? await coordination.redis?.command("ZREM", "lw:cap:\(name)", token)
    }
}

import Foundation
import LinkwrightCore
import LinkwrightEngines
import NIOConcurrencyHelpers

/// Action limits shared by every worker process through Redis: fixed windows (the clock hour,
/// the UTC day) counted per connection and action, and one "next action at" per connection for
/// the spacing and a platform's hold, all decided in one Lua script on Redis's clock. Without
/// Redis, or while it is away, this process counts alone (with half the limits while away, as
/// others may be acting meanwhile).
struct SharedActionLimiter: ActionLimiter {
    let coordination: Coordination

    func take(_ action: AccountAction, connectionID: UUID, limit: ActionLimit, spacing: Duration) async -> ActionDecision {
        guard let redis = coordination.redis else {
            return coordination.localActions.take(action, connectionID: connectionID, limit: limit, spacing: spacing)
        }
        do {
            let reply = try await redis.eval(
                Self.takeScript, keys: [Self.prefix(connectionID, action), Self.nextKey(connectionID)],
                arguments: [String(limit.perHour), String(limit.perDay), String(spacing.wholeMilliseconds)])
            guard let values = reply.array?.compactMap(\.int), values.count == 2 else { throw RedisError(message: "unexpected action-limit reply") }
            coordination.mark(false)
            let refusal: ActionDecision.Refusal? = [1: .hour, 2: .day, 3: .spacing][values[0]]
            return ActionDecision(refusal: refusal, retryAfter: .milliseconds(values[1]))
        } catch {
            coordination.mark(true, error)
            let half = ActionLimit(perHour: max(1, limit.perHour / 2), perDay: max(1, limit.perDay / 2))
            return coordination.localActions.take(action, connectionID: connectionID, limit: half, spacing: spacing)
        }
    }

    func hold(connectionID: UUID, until: Date) async {
        coordination.localActions.hold(connectionID: connectionID, until: until)
        guard let redis = coordination.redis else { return }
        let milliseconds = Int64((until.timeIntervalSince1970 * 1000).rounded(.up))
        do {
            _ = try await redis.eval(Self.holdScript, keys: [Self.nextKey(connectionID)], arguments: [String(milliseconds)])
            coordination.mark(false)
        } catch {
            coordination.mark(true, error)
        }
    }

    func usage(connectionID: UUID, actions: [AccountAction]) async -> ActionUsage {
        guard let redis = coordination.redis else { return coordination.localActions.usage(connectionID: connectionID, actions: actions) }
        do {
            let reply = try await redis.eval(
                Self.usageScript, keys: [Self.nextKey(connectionID)] + actions.map { Self.prefix(connectionID, $0) }, arguments: [])
            guard let values = reply.array?.compactMap(\.int), values.count == 2 + 2 * actions.count else {
                throw RedisError(message: "unexpected action-usage reply")
            }
            coordination.mark(false)
            var counts: [AccountAction: ActionUsage.Counts] = [:]
            for (index, action) in actions.enumerated() {
                counts[action] = ActionUsage.Counts(thisHour: Int(values[2 + 2 * index]), today: Int(values[3 + 2 * index]))
            }
            return Windows(milliseconds: values[0]).usage(counts: counts, next: values[1])
        } catch {
            coordination.mark(true, error)
            return coordination.localActions.usage(connectionID: connectionID, actions: actions)
        }
    }

    static func prefix(_ connectionID: UUID, _ action: AccountAction) -> String {
        "lw:act:\(connectionID.uuidString.lowercased()):\(action.rawValue)"
    }
    static func nextKey(_ connectionID: UUID) -> String { "lw:act:\(connectionID.uuidString.lowercased()):next" }

    /// KEYS: the action's prefix, the connection's next-action key. ARGV: per hour, per day,
    /// spacing (ms). Returns {0, 0} when taken, else {1 hour | 2 day | 3 spacing, wait in ms}.
    static let takeScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local hour = math.floor(now / 3600000)
        local day = math.floor(now / 86400000)
        local hk = KEYS[1] .. ':h:' .. hour
        local dk = KEYS[1] .. ':d:' .. day
        local nextAt = tonumber(redis.call('GET', KEYS[2]) or 0)
        if nextAt > now then return {3, nextAt - now} end
        if tonumber(redis.call('GET', hk) or 0) >= tonumber(ARGV[1]) then return {1, (hour + 1) * 3600000 - now} end
        if tonumber(redis.call('GET', dk) or 0) >= tonumber(ARGV[2]) then return {2, (day + 1) * 86400000 - now} end
        redis.call('INCR', hk)
        redis.call('PEXPIRE', hk, 7200000)
        redis.call('INCR', dk)
        redis.call('PEXPIRE', dk, 172800000)
        local spacing = tonumber(ARGV[3])
        if spacing > 0 then redis.call('SET', KEYS[2], tostring(now + spacing), 'PX', spacing) end
        return {0, 0}
        """

    /// KEYS: the next-action key. ARGV: until (epoch ms). Only ever pushes the next action later.
    static let holdScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local untilAt = tonumber(ARGV[1])
        if untilAt <= now then return 0 end
        if tonumber(redis.call('GET', KEYS[1]) or 0) >= untilAt then return 0 end
        redis.call('SET', KEYS[1], tostring(untilAt), 'PX', untilAt - now)
        return 1
        """

    /// KEYS: the next-action key, then each action's prefix. Returns {now, next, hour, day, ...}.
    static let usageScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local hour = math.floor(now / 3600000)
        local day = math.floor(now / 86400000)
        local result = {now, tonumber(redis.call('GET', KEYS[1]) or 0)}
        for i = 2, #KEYS do
          table.insert(result, tonumber(redis.call('GET', KEYS[i] .. ':h:' .. hour) or 0))
          table.insert(result, tonumber(redis.call('GET', KEYS[i] .. ':d:' .. day) or 0))
        end
        return result
        """
}

/// The windows a moment falls in: its clock hour and its UTC day.
struct Windows {
    let now: Int64
    var hour: Int64 { now / 3_600_000 }
    var day: Int64 { now / 86_400_000 }

    init(milliseconds: Int64) { now = milliseconds }
    init(_ date: Date) { now = Int64(date.timeIntervalSince1970 * 1000) }

    func usage(counts: [AccountAction: ActionUsage.Counts], next: Int64) -> ActionUsage {
        ActionUsage(
            counts: counts, hourResetsAt: Date(timeIntervalSince1970: Double((hour + 1) * 3600)),
            dayResetsAt: Date(timeIntervalSince1970: Double((day + 1) * 86400)),
            nextActionAt: next > now ? Date(timeIntervalSince1970: Double(next) / 1000) : nil)
    }
}

/// This process alone: one node without Redis, and the fallback while it is away.
final class LocalActionLimiter: Sendable {
    private struct State {
        var counts: [String: (window: Int64, count: Int)] = [:]
        var next: [UUID: Int64] = [:]
    }
    private let state = NIOLockedValueBox(State())
    let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }

    func take(_ action: AccountAction, connectionID: UUID, limit: ActionLimit, spacing: Duration) -> ActionDecision {
        let windows = Windows(now())
        let hourKey = "\(connectionID):\(action.rawValue):h"
        let dayKey = "\(connectionID):\(action.rawValue):d"
        return state.withLockedValue { state in
            if let next = state.next[connectionID], next > windows.now {
                return ActionDecision(refusal: .spacing, retryAfter: .milliseconds(next - windows.now))
            }
            let hourCount = state.counts[hourKey].flatMap { $0.window == windows.hour ? $0.count : nil } ?? 0
            if hourCount >= limit.perHour {
                return ActionDecision(refusal: .hour, retryAfter: .milliseconds((windows.hour + 1) * 3_600_000 - windows.now))
            }
            let dayCount = state.counts[dayKey].flatMap { $0.window == windows.day ? $0.count : nil } ?? 0
            if dayCount >= limit.perDay {
                return ActionDecision(refusal: .day, retryAfter: .milliseconds((windows.day + 1) * 86_400_000 - windows.now))
            }
            state.counts[hourKey] = (windows.hour, hourCount + 1)
            state.counts[dayKey] = (windows.day, dayCount + 1)
            if spacing > .zero { state.next[connectionID] = windows.now + spacing.wholeMilliseconds }
            return .allowed
        }
    }

    func hold(connectionID: UUID, until: Date) {
        let untilAt = Int64((until.timeIntervalSince1970 * 1000).rounded(.up))
        state.withLockedValue { $0.next[connectionID] = max($0.next[connectionID] ?? 0, untilAt) }
    }

    func usage(connectionID: UUID, actions: [AccountAction]) -> ActionUsage {
        let windows = Windows(now())
        return state.withLockedValue { state in
            var counts: [AccountAction: ActionUsage.Counts] = [:]
            for action in actions {
                let hour = state.counts["\(connectionID):\(action.rawValue):h"].flatMap { $0.window == windows.hour ? $0.count : nil } ?? 0
                let day = state.counts["\(connectionID):\(action.rawValue):d"].flatMap { $0.window == windows.day ? $0.count : nil } ?? 0
                counts[action] = ActionUsage.Counts(thisHour: hour, today: day)
            }
            return windows.usage(counts: counts, next: state.next[connectionID] ?? 0)
        }
    }
}

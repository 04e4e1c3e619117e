import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Live progress for the people watching it: what workers publish for a tenant reaches every
/// live stream of that tenant, whichever API process holds the stream.
///
/// With Redis, a batch is one `PUBLISH` on the tenant's channel and each API process keeps one
/// subscribed connection (opened when its first stream starts) that fans messages out to its own
/// streams. Without Redis, or while it is away, a batch reaches this process's streams only:
/// live progress is a convenience on top of state the API always serves, so what is missed while
/// Redis is down is missed, never retried, and nothing waits for it.
public final class LiveEvents: Sendable {
    /// Open streams one tenant may hold in one process; more are refused, not queued.
    public static let streamsPerTenant = 100
    static let pattern = "lw:events:*"

    struct Hub {
        var streams: [UUID: [UUID: AsyncStream<String>.Continuation]] = [:]
        var listener: Task<Void, Never>?
    }

    private let hub = NIOLockedValueBox(Hub())
    let redis: RedisClient?
    let health: @Sendable (Bool, (any Error)?) -> Void

    init(redis: RedisClient?, health: @escaping @Sendable (Bool, (any Error)?) -> Void) {
        self.redis = redis
        self.health = health
    }

    static func channel(_ tenantID: UUID) -> String { "lw:events:\(tenantID.uuidString.lowercased())" }

    /// Publishes one tenant's events (each a JSON object with no line breaks) as one message.
    public func publish(tenantID: UUID, _ events: [String]) async {
        guard !events.isEmpty else { return }
        if let redis {
            do {
                _ = try await redis.command("PUBLISH", Self.channel(tenantID), events.joined(separator: "\n"))
                health(false, nil)
                return
            } catch {
                health(true, error)
            }
        }
        deliver(tenantID, events)
    }

    /// A stream of the tenant's events as they happen, or nil when the tenant already holds
    /// `streamsPerTenant` here. The stream keeps the newest 1,000 events for a slow reader.
    public func subscribe(tenantID: UUID) -> AsyncStream<String>? {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1000))
        let id = UUID()
        let accepted = hub.withLockedValue { hub -> Bool in
            guard hub.streams[tenantID, default: [:]].count < Self.streamsPerTenant else { return false }
            hub.streams[tenantID, default: [:]][id] = continuation
            if hub.listener == nil, let redis {
                hub.listener = Task { await Self.listen(redis, deliver: self.deliver, health: self.health) }
            }
            return true
        }
        guard accepted else { return nil }
        continuation.onTermination = { [weak self] _ in
            self?.hub.withLockedValue { hub in
                hub.streams[tenantID]?[id] = nil
                if hub.streams[tenantID]?.isEmpty == true { hub.streams[tenantID] = nil }
            }
        }
        return stream
    }

    /// How many streams are open here (for tests and the operator's view).
    public var openStreams: Int { hub.withLockedValue { $0.streams.values.reduce(0) { $0 + $1.count } } }

    func deliver(_ tenantID: UUID, _ events: [String]) {
        let streams = hub.withLockedValue { Array(($0.streams[tenantID] ?? [:]).values) }
        for stream in streams { for event in events { stream.yield(event) } }
    }

    /// Keeps one subscribed connection for the life of the process, reconnecting with a backoff
    /// that grows while Redis stays away.
    static func listen(
        _ redis: RedisClient, deliver: @escaping @Sendable (UUID, [String]) -> Void,
        health: @Sendable (Bool, (any Error)?) -> Void
    ) async {
        var backoff: Duration = .milliseconds(100)
        while !Task.isCancelled {
            do {
                let subscription = try await RedisSubscription.open(redis.endpoint, pattern: pattern, group: redis.group, timeout: redis.timeout * 4)
                backoff = .milliseconds(100)
                health(false, nil)
                for await value in subscription.values {
                    // ["pmessage", pattern, channel, payload]
                    guard let parts = value.array, parts.count == 4, parts[0].string == "pmessage",
                        let channel = parts[2].string, let tenantID = UUID(uuidString: String(channel.dropFirst("lw:events:".count))),
                        let payload = parts[3].string
                    else { continue }
                    deliver(tenantID, payload.split(separator: "\n").map(String.init))
                }
                await subscription.close()
            } catch {
                health(true, error)
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
    }
}

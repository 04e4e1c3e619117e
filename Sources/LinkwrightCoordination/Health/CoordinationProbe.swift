import Logging
import ServiceLifecycle

/// Pings Redis on a timer so `Coordination.degraded` (and the `linkwright_coordination_degraded`
/// gauge read from it) follows Redis rather than the last request that happened to use it: a
/// quiet system whose Redis came back would otherwise keep alerting until traffic returned.
/// The first success also switches limits back to shared, exactly as a request would.
public struct CoordinationProbe: Service {
    let coordination: Coordination
    let interval: Duration

    public init(coordination: Coordination, interval: Duration = .seconds(5)) {
        self.coordination = coordination
        self.interval = interval
    }

    public func run() async throws {
        // A service that returns early stops the whole group: without Redis, just wait.
        guard coordination.redis != nil else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await coordination.probe()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}

extension Coordination {
    /// One PING: marks coordination healthy when Redis answers, degraded when it does not.
    public func probe() async {
        guard let redis else { return }
        do {
            _ = try await redis.command("PING")
            mark(false)
        } catch {
            mark(true, error)
        }
    }
}

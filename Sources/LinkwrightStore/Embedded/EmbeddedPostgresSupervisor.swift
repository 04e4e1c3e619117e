import Logging
import ServiceLifecycle

/// Keeps the embedded cluster running while `serve` runs: restarts it if it dies, stops it on
/// shutdown. Added to the ServiceGroup before the database pools, so it stops after them.
public struct EmbeddedPostgresSupervisor: Service {
    let cluster: EmbeddedPostgres
    let checkInterval: Duration
    let logger: Logger

    public init(cluster: EmbeddedPostgres, checkInterval: Duration = .seconds(2), logger: Logger) {
        self.cluster = cluster
        self.checkInterval = checkInterval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await gracefulShutdownSleep(for: checkInterval)
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            do {
                if try await !cluster.isRunning() {
                    logger.warning("embedded PostgreSQL is not running; restarting it")
                    try await cluster.start()
                }
            } catch {
                logger.error("embedded PostgreSQL could not be restarted", metadata: ["error": "\(error)"])
            }
        }
        // Stopping must happen whether we were asked to shut down gracefully or cancelled, and
        // work started from a cancelled task is refused: stop from a fresh task.
        try await Task { [cluster] in try await cluster.stop() }.value
    }
}

/// Sleeps for `duration`, returning early when graceful shutdown starts.
public func gracefulShutdownSleep(for duration: Duration) async throws {
    try await cancelWhenGracefulShutdown {
        try await Task.sleep(for: duration)
    }
}

import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// The application's view of PostgreSQL: two pools, one per privilege level.
///
/// - `tenant` connections run as `linkwright_app`; row-level security limits them to the tenant
///   named by `withTenant`, and a statement that forgets to name one sees no rows at all.
/// - `system` connections run as `linkwright_system`, the explicit cross-tenant path: finding a
///   user by email at login, refresh tokens, operators, writing the audit log.
///
/// Both roles are switched into at connect time, so the login user's own rights (typically the
/// migrating owner) are never used for a request.
public final class Database: Service, Sendable {
    public let endpoint: DatabaseEndpoint
    let tenantClient: PostgresClient
    let systemClient: PostgresClient
    let logger: Logger

    public init(endpoint: DatabaseEndpoint, maximumConnections: Int = 16, logger: Logger) {
        self.endpoint = endpoint
        self.logger = logger
        var tenantConfig = endpoint.clientConfiguration(role: "linkwright_app")
        tenantConfig.options.maximumConnections = maximumConnections
        tenantConfig.options.connectTimeout = .seconds(5)
        var systemConfig = endpoint.clientConfiguration(role: "linkwright_system")
        // The queue's prepared statements run here thousands of times a second. Left to choose,
        // PostgreSQL kept re-planning the claim (≈ 2 ms of planning each; generic plans drained
        // ≈ 25% faster in ops/bench/queue.sh); the system path's statements are all key lookups
        // whose generic plans are as good as custom ones.
        systemConfig.options.additionalStartupParameters.append(("plan_cache_mode", "force_generic_plan"))
        systemConfig.options.maximumConnections = max(2, maximumConnections / 2)
        systemConfig.options.connectTimeout = .seconds(5)
        self.tenantClient = PostgresClient(configuration: tenantConfig, backgroundLogger: logger)
        self.systemClient = PostgresClient(configuration: systemConfig, backgroundLogger: logger)
    }

    /// Runs both pools until cancelled or until graceful shutdown.
    public func run() async throws {
        // Pools close last: the ServiceGroup shuts services down in reverse order, so by the
        // time this one is asked to stop, nothing still needs a connection.
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.tenantClient.run() }
                group.addTask { await self.systemClient.run() }
            }
        }
    }

    /// Runs `body` in a transaction scoped to `tenantID` by row-level security.
    @discardableResult
    public func withTenant<Result: Sendable>(
        _ tenantID: UUID,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await Self.retryingMovedRows {
            try await Self.unwrappingTransactionErrors {
                try await tenantClient.withConnection { connection in
                    try await connection.withTransaction(logger: logger) { connection in
                        try await connection.query(
                            "SELECT set_config('app.tenant_id', \(tenantID.uuidString), true)", logger: logger)
                        return try await body(connection)
                    }
                }
            }
        }
    }

    /// Runs `body` in a transaction on the cross-tenant path. Use only where no tenant is known yet
    /// or the work spans tenants by design.
    @discardableResult
    public func withSystem<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await Self.retryingMovedRows {
            try await Self.unwrappingTransactionErrors {
                try await systemClient.withConnection { connection in
                    try await connection.withTransaction(logger: logger) { connection in
                        try await body(connection)
                    }
                }
            }
        }
    }

    /// Runs `body` on a cross-tenant connection outside any explicit transaction: for single
    /// statements on the queue's hot path, each atomic by itself, where BEGIN and COMMIT would
    /// triple the round trips.
    public func withSystemConnection<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await Self.retryingMovedRows { try await systemClient.withConnection { connection in try await body(connection) } }
    }

    /// Runs `body` again when PostgreSQL reports a serialization failure (40001). Under READ
    /// COMMITTED that means a row the statement meant to lock or change was moved to another
    /// partition by a transaction that committed meanwhile (a task finishing: migration 0013);
    /// PostgreSQL cannot follow a row across partitions as it follows an update within one. The
    /// transaction rolled back whole, and running it again finds the row where it now is.
    static func retryingMovedRows<Result>(_ body: () async throws -> Result) async throws -> Result {
        var retries = 0
        while true {
            do {
                return try await body()
            } catch  where retries < 8 && PostgresErrorDescription.sqlState(of: error) == "40001" {
                retries += 1
            }
        }
    }

    /// postgres-nio wraps whatever the transaction body threw in `PostgresTransactionError`;
    /// callers want the original (a `StoreError`, a constraint violation) after the rollback.
    static func unwrappingTransactionErrors<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.beginError ?? error
        }
    }

    /// A statement on a tenant connection with no tenant context: row-level security must show
    /// it nothing. Exists so tests can prove exactly that.
    public func queryWithoutTenantContext(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await tenantClient.query(query, logger: logger)
    }

    /// Calls `onNotify` with the payload of every NOTIFY on `channel` until cancelled. Listens on
    /// its own connection and re-establishes it (and the LISTEN) after any drop, with a capped
    /// backoff, calling `onNotify("")` after each reconnect: notifications sent while the
    /// connection was down are lost, so listeners should look for work then.
    public func listen(_ channel: String, onNotify: @escaping @Sendable (String) async -> Void) async {
        var delay: Duration = .milliseconds(100)
        var connectionID = 1000
        while !Task.isCancelled {
            do {
                connectionID += 1
                let connection = try await PostgresConnection.connect(
                    configuration: endpoint.connectionConfiguration(), id: connectionID, logger: logger)
                defer { Task { try? await connection.close() } }
                let notifications = try await connection.listen(channel)
                delay = .milliseconds(100)
                await onNotify("")
                for try await notification in notifications { await onNotify(notification.payload) }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN connection lost; reconnecting", metadata: ["channel": "\(channel)", "error": "\(error)"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    /// Succeeds when PostgreSQL answers within `timeout`.
    public func ping(timeout: Duration = .seconds(2)) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.systemClient.query("SELECT 1", logger: self.logger) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DatabaseUnavailable()
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "PostgreSQL did not answer in time" }
}

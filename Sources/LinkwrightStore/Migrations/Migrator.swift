import Foundation
import Logging
import PostgresNIO

/// Applies `migrations/` in order, each in its own transaction, recording version and checksum.
///
/// Runs as the database URL's own user (the schema owner), not as the application roles.
/// A session advisory lock serialises concurrent migrators: the second waits, then finds
/// everything applied.
public struct Migrator: Sendable {
    /// An applied migration whose file no longer matches what was applied.
    public struct ChecksumMismatch: Error, CustomStringConvertible {
        public let version: Int
        public let name: String
        public var description: String {
            "migration \(String(format: "%04d", version))_\(name).sql was changed after it was applied; "
                + "restore the original file and add a new migration for the change"
        }
    }

    public struct MigrationFailed: Error, CustomStringConvertible {
        public let version: Int
        public let name: String
        public let underlying: String
        public var description: String {
            "migration \(String(format: "%04d", version))_\(name).sql failed and was rolled back: \(underlying)"
        }
    }

    /// Arbitrary, fixed: "linkwright" folded into a bigint.
    static let lockKey: Int64 = 0x6C69_6E6B_7772_6974 & 0x7FFF_FFFF_FFFF_FFFF

    public let endpoint: DatabaseEndpoint
    public let migrations: [Migration]
    public let logger: Logger

    public init(endpoint: DatabaseEndpoint, migrations: [Migration], logger: Logger) {
        self.endpoint = endpoint
        self.migrations = migrations
        self.logger = logger
    }

    /// Returns the versions this call applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let connection = try await PostgresConnection.connect(
            configuration: endpoint.connectionConfiguration(), id: 1, logger: logger)
        do {
            let applied = try await migrate(on: connection)
            try await connection.close()
            return applied
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func migrate(on connection: PostgresConnection) async throws -> [Int] {
        // Held until the connection closes, which `migrate()` always does.
        try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)

        var recorded: [Int: String] = [:]
        for try await (version, checksum) in try await connection.query(
            "SELECT version, checksum FROM schema_migrations", logger: logger
        ).decode((Int, String).self) {
            recorded[version] = checksum
        }

        for migration in migrations {
            if let checksum = recorded[migration.version], checksum != migration.checksum {
                throw ChecksumMismatch(version: migration.version, name: migration.name)
            }
        }

        var applied: [Int] = []
        for migration in migrations where recorded[migration.version] == nil {
            logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            do {
                try await connection.withTransaction(logger: logger) { connection in
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        """
                        INSERT INTO schema_migrations (version, name, checksum)
                        VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                        """, logger: logger)
                }
            } catch {
                throw MigrationFailed(version: migration.version, name: migration.name, underlying: PostgresErrorDescription.describe(error))
            }
            applied.append(migration.version)
        }
        // Monthly partitions for the month ahead are created on every start, not only when a
        // migration runs, so a long-running deployment never writes into the default partition.
        // Only range-partitioned tables are monthly (tasks are partitioned by state).
        let helper = try await connection.query(
            "SELECT to_regproc('ensure_monthly_partitions') IS NOT NULL", logger: logger
        ).decode(Bool.self)
        guard try await helper.first(where: { _ in true }) == true else { return applied }
        try await connection.query(
            """
            SELECT ensure_monthly_partitions(format('%I', c.relname)::regclass, 2)
            FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND p.partstrat = 'r'
            """, logger: logger)
        return applied
    }
}

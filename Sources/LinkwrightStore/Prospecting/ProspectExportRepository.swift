import Foundation
import LinkwrightCore
import PostgresNIO

/// An export of a job's results, as its status shows it.
public struct ProspectExportRecord: Sendable, Equatable {
    public let tenantID: UUID
    public let id: UUID
    public let jobID: UUID
    public let format: String
    public let state: String
    public let storage: String
    public let location: String?
    public let rows: Int64
    public let bytes: Int64
    public let error: String?
    public let createdAt: Date
    public let readyAt: Date?
    public let expiresAt: Date
}

/// Exports and retention: what is written where, which exports a dead process left behind, and
/// which jobs' results are due to go.
public struct ProspectExportRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// Download links last this long.
    public static let lifetime: TimeInterval = 7 * 86_400

    static let columns = "tenant_id, id, job_id, format, state, storage, location, rows, bytes, error, created_at, ready_at, expires_at"
    typealias Row = (UUID, UUID, UUID, String, String, String, String?, Int64, Int64, String?, Date, Date?, Date)

    static func record(_ row: Row) -> ProspectExportRecord {
        ProspectExportRecord(
            tenantID: row.0, id: row.1, jobID: row.2, format: row.3, state: row.4, storage: row.5, location: row.6, rows: row.7, bytes: row.8,
            error: row.9, createdAt: row.10, readyAt: row.11, expiresAt: row.12)
    }

    static func records(_ rows: PostgresRowSequence) async throws -> [ProspectExportRecord] {
        var records: [ProspectExportRecord] = []
        for try await row in rows.decode(Row.self) { records.append(record(row)) }
        return records
    }

    public func create(tenantID: UUID, jobID: UUID, format: String, storage: String) async throws -> ProspectExportRecord {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO prospect_exports (tenant_id, id, job_id, kind, format, storage, expires_at)
                VALUES (\(tenantID), \(UUID()), \(jobID), 'results', \(format), \(storage), now() + interval '7 days')
                RETURNING \(unescaped: Self.columns)
                """, logger: database.logger)
            for try await row in rows.decode(Row.self) { return Self.record(row) }
            throw StoreError.notFound
        }
    }

    public func find(tenantID: UUID, jobID: UUID, id: UUID) async throws -> ProspectExportRecord? {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM prospect_exports WHERE job_id = \(jobID) AND id = \(id)", logger: database.logger)
            for try await row in rows.decode(Row.self) { return Self.record(row) }
            return nil
        }
    }

    /// By the export alone, for a signed download link (which names the tenant it was signed for).
    public func find(tenantID: UUID, id: UUID) async throws -> ProspectExportRecord? {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query("SELECT \(unescaped: Self.columns) FROM prospect_exports WHERE id = \(id)", logger: database.logger)
            for try await row in rows.decode(Row.self) { return Self.record(row) }
            return nil
        }
    }

    public func list(tenantID: UUID, jobID: UUID) async throws -> [ProspectExportRecord] {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM prospect_exports WHERE job_id = \(jobID) ORDER BY created_at DESC LIMIT 100",
                logger: database.logger)
            return try await Self.records(rows)
        }
    }

    /// How far a running export got; also its heartbeat.
    public func progress(tenantID: UUID, id: UUID, rows: Int64, bytes: Int64) async throws {
        try await database.withTenant(tenantID) { connection in
            try await connection.query(
                "UPDATE prospect_exports SET rows = \(rows), bytes = \(bytes), heartbeat_at = now() WHERE id = \(id) AND state = 'running'",
                logger: database.logger)
        }
    }

    public func finish(tenantID: UUID, id: UUID, location: String, rows: Int64, bytes: Int64) async throws {
        try await database.withTenant(tenantID) { connection in
            try await connection.query(
                """
                UPDATE prospect_exports SET state = 'ready', location = \(location), rows = \(rows), bytes = \(bytes), ready_at = now(),
                    expires_at = now() + interval '7 days', heartbeat_at = now()
                WHERE id = \(id)
                """, logger: database.logger)
        }
    }

    public func fail(tenantID: UUID, id: UUID, error: String) async throws {
        try await database.withTenant(tenantID) { connection in
            try await connection.query(
                "UPDATE prospect_exports SET state = 'failed', error = \(String(error.prefix(500))) WHERE id = \(id)", logger: database.logger)
        }
    }

    /// Exports whose process stopped beating for `after`: claimed (their beat renewed) so exactly
    /// one process writes each again.
    public func claimAbandoned(after: Duration = .seconds(120)) async throws -> [ProspectExportRecord] {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                UPDATE prospect_exports SET heartbeat_at = now(), rows = 0, bytes = 0
                WHERE (tenant_id, id) IN (
                    SELECT tenant_id, id FROM prospect_exports
                    WHERE state = 'running' AND heartbeat_at < now() - \(after.inSeconds) * interval '1 second'
                    FOR UPDATE SKIP LOCKED LIMIT 10)
                RETURNING \(unescaped: Self.columns)
                """, logger: database.logger)
            return try await Self.records(rows)
        }
    }

    /// Exports past their 7 days: marked expired, their files' locations returned to be removed.
    public func expire() async throws -> [ProspectExportRecord] {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                UPDATE prospect_exports SET state = 'expired'
                WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM prospect_exports WHERE state = 'ready' AND expires_at < now() LIMIT 1000)
                RETURNING \(unescaped: Self.columns)
                """, logger: database.logger)
            return try await Self.records(rows)
        }
    }

    /// Jobs 90 days past their end: each one's results partition dropped (one DROP, whatever
    /// its size), its exports expired, the job `archived` with its counters kept. Returns the
    /// exports whose files are to be removed.
    public func archiveDue(now: Date = Date()) async throws -> (jobs: Int, files: [ProspectExportRecord]) {
        try await database.withSystem { connection in
            let due = try await connection.query(
                """
                SELECT tenant_id, id FROM prospect_jobs WHERE state IN ('completed', 'failed') AND retain_until < \(now)
                ORDER BY retain_until LIMIT 100 FOR UPDATE SKIP LOCKED
                """, logger: database.logger
            ).collect().map { try $0.decode((UUID, UUID).self) }
            var files: [ProspectExportRecord] = []
            for (tenantID, jobID) in due {
                try await connection.query("SELECT drop_prospect_partition(\(jobID))", logger: database.logger)
                let rows = try await connection.query(
                    """
                    UPDATE prospect_exports SET state = 'expired' WHERE tenant_id = \(tenantID) AND job_id = \(jobID) AND state <> 'expired'
                    RETURNING \(unescaped: Self.columns)
                    """, logger: database.logger)
                for try await row in rows.decode(Row.self) where row.6 != nil { files.append(Self.record(row)) }
                try await connection.query(
                    """
                    UPDATE prospect_jobs SET state = 'archived', status_reason = 'results removed after 90 days', updated_at = now()
                    WHERE tenant_id = \(tenantID) AND id = \(jobID)
                    """, logger: database.logger)
            }
            return (due.count, files)
        }
    }
}

import Foundation
import LinkwrightCore
import PostgresNIO

public struct APIKeyRecord: Sendable, Equatable {
    public let tenantID: UUID
    public let id: UUID
    public let name: String
    public let prefix: String
    public let scopes: [APIKeyScope]
    public let createdBy: UUID
    public let createdAt: Date
    public let expiresAt: Date?
    public let lastUsedAt: Date?
    let createdMicros: Int64
}

public struct APIKeyRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    static let columns = """
        tenant_id, id, name, prefix, scopes, created_by, created_at, expires_at, last_used_at,
        (extract(epoch FROM created_at) * 1000000)::bigint
        """
    typealias Row = (UUID, UUID, String, String, [String], UUID, Date, Date?, Date?, Int64)

    public func create(tenantID: UUID, name: String, scopes: [APIKeyScope], createdBy: UUID, expiresAt: Date?, token: APIKeyToken) async throws
        -> APIKeyRecord
    {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash, scopes, created_by, expires_at)
                VALUES (\(tenantID), \(UUID()), \(name), \(token.displayPrefix), \(ByteBuffer(bytes: token.hash)),
                        \(scopes.map(\.rawValue)), \(createdBy), \(expiresAt))
                RETURNING \(unescaped: Self.columns)
                """, logger: database.logger)
            for try await row in rows.decode(Row.self) { return Self.record(row) }
            throw StoreError.notFound
        }
    }

    /// Keys that still work or have merely expired; revoked keys are gone from the list.
    /// `createdBy` limits the list to one person's keys.
    public func list(tenantID: UUID, createdBy: UUID? = nil, limit: Int, after cursor: PageCursor?) async throws -> Page<APIKeyRecord> {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM api_keys
                WHERE revoked_at IS NULL AND (\(createdBy == nil) OR created_by = \(createdBy ?? UUID()))
                  AND (\(cursor == nil) OR (created_at, id) < (to_timestamp(0) + \(cursor?.micros ?? 0) * interval '1 microsecond', \(cursor?.id ?? UUID())))
                ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var fetched: [APIKeyRecord] = []
            for try await row in rows.decode(Row.self) { fetched.append(Self.record(row)) }
            return Page(fetched: fetched, limit: limit) { PageCursor(micros: $0.createdMicros, id: $0.id) }
        }
    }

    /// Returns false when no live key has this id in the tenant.
    public func revoke(tenantID: UUID, id: UUID, createdBy: UUID? = nil) async throws -> Bool {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                UPDATE api_keys SET revoked_at = now()
                WHERE id = \(id) AND revoked_at IS NULL AND (\(createdBy == nil) OR created_by = \(createdBy ?? UUID()))
                RETURNING id
                """, logger: database.logger)
            for try await _ in rows { return true }
            return false
        }
    }

    /// The live key with this hash, if any. `last_used_at` is refreshed at most once a minute so
    /// that a busy key does not turn every read into a write.
    public func authenticate(_ token: APIKeyToken) async throws -> APIKeyRecord? {
        try await database.withSystem { connection in
            let hash = ByteBuffer(bytes: token.hash)
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns), last_used_at IS NULL OR last_used_at < now() - interval '1 minute'
                FROM api_keys
                WHERE key_hash = \(hash) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
                """, logger: database.logger)
            for try await row in rows.decode((UUID, UUID, String, String, [String], UUID, Date, Date?, Date?, Int64, Bool).self) {
                if row.10 {
                    try await connection.query(
                        "UPDATE api_keys SET last_used_at = now() WHERE key_hash = \(hash)", logger: database.logger)
                }
                return Self.record((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9))
            }
            return nil
        }
    }

    static func record(_ row: Row) -> APIKeyRecord {
        APIKeyRecord(
            tenantID: row.0, id: row.1, name: row.2, prefix: row.3,
            scopes: row.4.compactMap(APIKeyScope.init(rawValue:)), createdBy: row.5,
            createdAt: row.6, expiresAt: row.7, lastUsedAt: row.8, createdMicros: row.9)
    }
}

import Foundation
import LinkwrightCore
import PostgresNIO

public struct AuditEntry: Sendable, Equatable {
    public enum ActorKind: String, Sendable {
        case user
        case apiKey = "api_key"
        case `operator`, anonymous
    }
    public enum Outcome: String, Sendable { case success, failure }

    /// Platform events that belong to no tenant are filed under the nil UUID.
    public static let noTenant = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    public var id: UUID
    public var tenantID: UUID
    public var createdAt: Date
    public var actorKind: ActorKind
    public var actorID: UUID?
    public var action: String
    public var targetID: String?
    public var requestID: String
    public var clientAddress: String?
    public var outcome: Outcome
    public var status: Int
    /// JSON object, secrets already redacted by the caller.
    public var details: String
    var createdMicros: Int64 = 0

    public init(
        tenantID: UUID?, actorKind: ActorKind, actorID: UUID?, action: String, targetID: String?,
        requestID: String, clientAddress: String?, outcome: Outcome, status: Int, details: String
    ) {
        self.id = UUID()
        self.tenantID = tenantID ?? Self.noTenant
        self.createdAt = Date()
        self.actorKind = actorKind
        self.actorID = actorID
        self.action = action
        self.targetID = targetID
        self.requestID = requestID
        self.clientAddress = clientAddress
        self.outcome = outcome
        self.status = status
        self.details = details
    }
}

/// The append-only audit log. Entries are written on the system path because many have no
/// tenant context yet (sign-up, failed logins); tenants read only their own through RLS.
public struct AuditRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public func record(_ entry: AuditEntry) async throws {
        try await database.withSystem { connection in
            try await connection.query(
                """
                INSERT INTO audit_log (tenant_id, id, actor_kind, actor_id, action, target_id, request_id,
                                       client_address, outcome, status, details)
                VALUES (\(entry.tenantID), \(entry.id), \(entry.actorKind.rawValue), \(entry.actorID), \(entry.action),
                        \(entry.targetID), \(entry.requestID), \(entry.clientAddress), \(entry.outcome.rawValue),
                        \(entry.status), \(entry.details)::jsonb)
                """, logger: database.logger)
        }
    }

    public func list(tenantID: UUID, limit: Int, after cursor: PageCursor?) async throws -> Page<AuditEntry> {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT tenant_id, id, created_at, actor_kind, actor_id, action, target_id, request_id,
                       client_address, outcome, status, details::text,
                       (extract(epoch FROM created_at) * 1000000)::bigint
                FROM audit_log
                WHERE \(cursor == nil) OR (created_at, id) < (to_timestamp(0) + \(cursor?.micros ?? 0) * interval '1 microsecond', \(cursor?.id ?? UUID()))
                ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var fetched: [AuditEntry] = []
            for try await row in rows.decode(
                (UUID, UUID, Date, String, UUID?, String, String?, String, String?, String, Int, String, Int64).self
            ) {
                var entry = AuditEntry(
                    tenantID: row.0, actorKind: .init(rawValue: row.3) ?? .anonymous, actorID: row.4, action: row.5,
                    targetID: row.6, requestID: row.7, clientAddress: row.8, outcome: .init(rawValue: row.9) ?? .failure,
                    status: row.10, details: row.11)
                entry.id = row.1
                entry.createdAt = row.2
                entry.createdMicros = row.12
                fetched.append(entry)
            }
            return Page(fetched: fetched, limit: limit) { PageCursor(micros: $0.createdMicros, id: $0.id) }
        }
    }
}

import Foundation
import LinkwrightCore
import PostgresNIO

/// A connection as the API shows it: everything but the secret, of which only its hint.
public struct ConnectionRecord: Sendable, Equatable {
    public let tenantID: UUID
    public let id: UUID
    public let settings: ConnectionSettings
    public let hasSecret: Bool
    public let secretHint: String
    public let state: ConnectionState
    public let lastError: String?
    public let lastErrorAt: Date?
    public let createdAt: Date
    public let updatedAt: Date
    let createdMicros: Int64
}

/// The tenant's connected accounts. Secrets go in sealed and come out only through
/// `credentials`, for the engines that publish with them; nothing else here returns one.
public struct ConnectionRepository: Sendable {
    let database: Database
    let secrets: SecretKeys

    public init(database: Database, secrets: SecretKeys) {
        self.database = database
        self.secrets = secrets
    }

    static let columns = """
        tenant_id, id, platform, label, base_url, username, email, owned, secret_sealed IS NOT NULL, secret_hint,
        state, last_error, last_error_at, created_at, updated_at, (extract(epoch FROM created_at) * 1000000)::bigint, action_limits::text
        """
    typealias Row = (UUID, UUID, String, String, String, String, String?, Bool, Bool, String, String, String?, Date?, Date, Date, Int64, String)

    public func create(tenantID: UUID, settings: ConnectionSettings, secret: String?) async throws -> ConnectionRecord {
        let id = UUID()
        let sealed = try secret.map { try secrets.forSealing().seal($0, boundTo: SecretKeyring.context(tenantID: tenantID, connectionID: id)) }
        return try await database.withTenant(tenantID) { connection in
            do {
                let rows = try await connection.query(
                    """
                    INSERT INTO connections (tenant_id, id, platform, label, base_url, username, email, owned,
                                             secret_key_id, secret_sealed, secret_hint, action_limits)
                    VALUES (\(tenantID), \(id), \(settings.platform.rawValue), \(settings.label), \(settings.baseURL),
                            \(settings.username), \(settings.email), \(settings.owned), \(sealed?.keyID),
                            \(sealed.map { ByteBuffer(bytes: $0.bytes) }), \(secret.map(ConnectionSettings.hint) ?? ""),
                            \(Self.limitsJSON(settings.actionLimits))::jsonb)
                    RETURNING \(unescaped: Self.columns)
                    """, logger: database.logger)
                for try await row in rows.decode(Row.self) { return Self.record(row) }
            } catch  where PostgresErrorDescription.isUniqueViolation(error) {
                throw StoreError.alreadyConnected
            }
            throw StoreError.notFound
        }
    }

    public func list(
        tenantID: UUID, platform: ConnectionPlatform? = nil, state: ConnectionState? = nil, limit: Int, after cursor: PageCursor?
    ) async throws -> Page<ConnectionRecord> {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM connections
                WHERE (\(platform == nil) OR platform = \(platform?.rawValue ?? ""))
                  AND (\(state == nil) OR state = \(state?.rawValue ?? ""))
                  AND (\(cursor == nil) OR (created_at, id) < (to_timestamp(0) + \(cursor?.micros ?? 0) * interval '1 microsecond', \(cursor?.id ?? UUID())))
                ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var fetched: [ConnectionRecord] = []
            for try await row in rows.decode(Row.self) { fetched.append(Self.record(row)) }
            return Page(fetched: fetched, limit: limit) { PageCursor(micros: $0.createdMicros, id: $0.id) }
        }
    }

    public func find(tenantID: UUID, id: UUID) async throws -> ConnectionRecord? {
        try await database.withTenant(tenantID) { connection in try await Self.find(id, on: connection, logger: database.logger) }
    }

    static func find(_ id: UUID, on connection: PostgresConnection, lock: Bool = false, logger: Logger) async throws -> ConnectionRecord? {
        let rows = try await connection.query(
            "SELECT \(unescaped: columns) FROM connections WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")", logger: logger)
        for try await row in rows.decode(Row.self) { return record(row) }
        return nil
    }

    /// Applies a validated change. A new secret is sealed afresh and puts a `failing` connection
    /// back to `active` (the person reconnected); `state` turns it off or on. Nil when there is
    /// no such connection in the tenant.
    public func update(tenantID: UUID, id: UUID, input: ConnectionSettings.Input) async throws -> ConnectionRecord? {
        try await database.withTenant(tenantID) { connection in
            guard let current = try await Self.find(id, on: connection, lock: true, logger: database.logger) else { return nil }
            var settings = current.settings
            try settings.apply(input)
            let sealed = try input.secret.map {
                try secrets.forSealing().seal($0, boundTo: SecretKeyring.context(tenantID: tenantID, connectionID: id))
            }
            let state = input.state ?? (sealed != nil && current.state == .failing ? ConnectionState.active.rawValue : current.state.rawValue)
            do {
                let rows = try await connection.query(
                    """
                    UPDATE connections SET label = \(settings.label), base_url = \(settings.baseURL), username = \(settings.username),
                        email = \(settings.email), owned = \(settings.owned), action_limits = \(Self.limitsJSON(settings.actionLimits))::jsonb,
                        secret_key_id = CASE WHEN \(sealed != nil) THEN \(sealed?.keyID) ELSE secret_key_id END,
                        secret_sealed = CASE WHEN \(sealed != nil) THEN \(sealed.map { ByteBuffer(bytes: $0.bytes) }) ELSE secret_sealed END,
                        secret_hint = CASE WHEN \(sealed != nil) THEN \(input.secret.map(ConnectionSettings.hint) ?? "") ELSE secret_hint END,
                        state = \(state),
                        last_error = CASE WHEN \(state) = 'active' THEN NULL ELSE last_error END,
                        last_error_at = CASE WHEN \(state) = 'active' THEN NULL ELSE last_error_at END,
                        updated_at = now()
                    WHERE id = \(id)
                    RETURNING \(unescaped: Self.columns)
                    """, logger: database.logger)
                for try await row in rows.decode(Row.self) { return Self.record(row) }
            } catch  where PostgresErrorDescription.isUniqueViolation(error) {
                throw StoreError.alreadyConnected
            }
            return nil
        }
    }

    public func delete(tenantID: UUID, id: UUID) async throws -> Bool {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query("DELETE FROM connections WHERE id = \(id) RETURNING id", logger: database.logger)
            for try await _ in rows { return true }
            return false
        }
    }

    /// For the engines: the account a slot publishes with, among the tenant's active ones on
    /// `platforms` that have a secret (only owned sites when `ownedOnly`). The same `spreadKey`
    /// always lands on the same account while the set is unchanged, and different keys spread
    /// over all of them.
    public func choose(tenantID: UUID, platforms: [ConnectionPlatform], ownedOnly: Bool, spreadKey: String) async throws -> UUID? {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT id FROM connections
                WHERE state = 'active' AND (secret_sealed IS NOT NULL OR platform = 'commenter') AND platform = ANY(\(platforms.map(\.rawValue)))
                  AND (NOT \(ownedOnly) OR owned)
                ORDER BY id
                """, logger: database.logger)
            var ids: [UUID] = []
            for try await id in rows.decode(UUID.self) { ids.append(id) }
            guard !ids.isEmpty else { return nil }
            return ids[Int(MinHashSignature.fnv1a(spreadKey) % UInt64(ids.count))]
        }
    }

    /// For the engines and the connection test: the connection with its secret opened (nil for
    /// one without, a commenter). Nil when it does not exist or is disabled; a failing one is
    /// returned (a person tests it after fixing the account), so engines check `state` themselves.
    public func credentials(tenantID: UUID, id: UUID) async throws -> (ConnectionRecord, String?)? {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.columns), secret_key_id, secret_sealed FROM connections WHERE id = \(id) AND state <> 'disabled'",
                logger: database.logger)
            for try await r in rows.decode(
                (
                    UUID, UUID, String, String, String, String, String?, Bool, Bool, String, String, String?, Date?, Date, Date, Int64, String,
                    String?, ByteBuffer?
                ).self)
            {
                let record = Self.record((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14, r.15, r.16))
                guard let keyID = r.17, let sealed = r.18 else { return (record, nil) }
                let secret = try secrets.open(
                    SecretKeyring.Sealed(keyID: keyID, bytes: Array(sealed.readableBytesView)),
                    boundTo: SecretKeyring.context(tenantID: tenantID, connectionID: id))
                return (record, secret)
            }
            return nil
        }
    }

    /// For the engines: the platform refused the credentials. The reason is what a person reads
    /// ("the application password was revoked — reconnect"); the connection is not used again
    /// until they fix it.
    /// The first time (an active account turning failing) it is also a `connection_failing` event
    /// for people to read; later refusals only refresh the reason.
    public func markFailing(tenantID: UUID, id: UUID, reason: String) async throws {
        let reason = String(reason.prefix(1000))
        try await database.withTenant(tenantID) { connection in
            try await connection.query(
                """
                WITH turned AS (
                    UPDATE connections SET state = 'failing', last_error = \(reason), last_error_at = now(), updated_at = now()
                    WHERE id = \(id) AND state = 'active'
                    RETURNING id, platform, label
                )
                INSERT INTO events (tenant_id, type, payload)
                SELECT \(tenantID), 'connection_failing',
                       jsonb_build_object('connection_id', id::text, 'platform', platform, 'label', label, 'reason', \(reason)::text)
                FROM turned
                """, logger: database.logger)
            try await connection.query(
                """
                UPDATE connections SET last_error = \(reason), last_error_at = now(), updated_at = now()
                WHERE id = \(id) AND state = 'failing' AND last_error IS DISTINCT FROM \(reason)
                """, logger: database.logger)
        }
    }

    /// The account worked again (a successful connection test): it is used again.
    public func markActive(tenantID: UUID, id: UUID) async throws -> ConnectionRecord? {
        try await database.withTenant(tenantID) { connection in
            try await connection.query(
                """
                UPDATE connections SET state = 'active', last_error = NULL, last_error_at = NULL, updated_at = now()
                WHERE id = \(id) AND state = 'failing'
                """, logger: database.logger)
            return try await Self.find(id, on: connection, logger: database.logger)
        }
    }

    static func record(_ row: Row) -> ConnectionRecord {
        var settings = ConnectionSettings(
            platform: ConnectionPlatform(rawValue: row.2) ?? .commenter, label: row.3, baseURL: row.4, username: row.5, email: row.6,
            owned: row.7)
        let stored = (try? JSONDecoder().decode([String: ActionLimit].self, from: Data(row.16.utf8))) ?? [:]
        settings.actionLimits = Dictionary(uniqueKeysWithValues: stored.compactMap { key, limit in AccountAction(rawValue: key).map { ($0, limit) } })
        return ConnectionRecord(
            tenantID: row.0, id: row.1,
            settings: settings,
            hasSecret: row.8, secretHint: row.9, state: ConnectionState(rawValue: row.10) ?? .disabled, lastError: row.11,
            lastErrorAt: row.12, createdAt: row.13, updatedAt: row.14, createdMicros: row.15)
    }

    static func limitsJSON(_ limits: [AccountAction: ActionLimit]) -> String {
        let keyed = Dictionary(uniqueKeysWithValues: limits.map { ($0.key.rawValue, $0.value) })
        return (try? String(decoding: JSONEncoder().encode(keyed), as: UTF8.self)) ?? "{}"
    }
}

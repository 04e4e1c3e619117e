import Foundation
import LinkwrightCore
import PostgresNIO

/// Tenants, their users and platform operators.
public struct AccountRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    static let userColumns = "tenant_id, id, email, role, created_at, (extract(epoch FROM created_at) * 1000000)::bigint"

    // MARK: Sign-up and sign-in (cross-tenant by nature)

    /// Creates a tenant and its first owner in one transaction: a failure leaves neither behind.
    public func createTenant(name: String, ownerEmail: EmailAddress, passwordHash: String) async throws -> (TenantRecord, UserRecord) {
        for attempt in 0..<5 {
            let base = TenantSlug.make(from: name)
            let slug = attempt == 0 ? base : TenantSlug.withSuffix(base)
            do {
                return try await database.withSystem { connection in
                    try await Self.ensureNoOperator(with: ownerEmail, on: connection)
                    let tenantID = UUID()
                    let tenant = try await connection.query(
                        """
                        INSERT INTO tenants (id, name, slug) VALUES (\(tenantID), \(name), \(slug))
                        RETURNING id, name, slug, created_at
                        """, logger: database.logger
                    ).decode((UUID, String, String, Date).self).first { _ in true }!
                    let user = try await Self.insertUser(
                        tenantID: tenantID, email: ownerEmail, passwordHash: passwordHash, role: .owner, on: connection)
                    return (TenantRecord(id: tenant.0, name: tenant.1, slug: tenant.2, createdAt: tenant.3), user)
                }
            } catch  where PostgresErrorDescription.isUniqueViolation(error, constraint: "tenants_slug_key") {
                continue
            }
        }
        throw StoreError.emailTaken  // unreachable in practice: five random suffixes all taken
    }

    /// The user or operator with this email, with the password hash to check.
    public func loginSubject(email: EmailAddress) async throws -> LoginSubject? {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.userColumns), password_hash FROM users WHERE lower(email) = \(email.value)
                """, logger: database.logger)
            for try await row in rows.decode((UUID, UUID, String, String, Date, Int64, String).self) {
                return LoginSubject.user(Self.user(from: (row.0, row.1, row.2, row.3, row.4, row.5)), passwordHash: row.6)
            }
            let operators = try await connection.query(
                """
                SELECT id, email, created_at, password_hash FROM operators WHERE lower(email) = \(email.value)
                """, logger: database.logger)
            for try await (id, email, createdAt, hash) in operators.decode((UUID, String, Date, String).self) {
                return LoginSubject.operator(OperatorRecord(id: id, email: email, createdAt: createdAt), passwordHash: hash)
            }
            return nil
        }
    }

    public func createOperator(email: EmailAddress, passwordHash: String) async throws -> OperatorRecord {
        try await database.withSystem { connection in
            let existing = try await connection.query(
                "SELECT 1 FROM users WHERE lower(email) = \(email.value)", logger: database.logger)
            for try await _ in existing { throw StoreError.emailTaken }
            do {
                let id = UUID()
                let rows = try await connection.query(
                    """
                    INSERT INTO operators (id, email, password_hash) VALUES (\(id), \(email.value), \(passwordHash))
                    RETURNING id, email, created_at
                    """, logger: database.logger)
                for try await (id, email, createdAt) in rows.decode((UUID, String, Date).self) {
                    return OperatorRecord(id: id, email: email, createdAt: createdAt)
                }
                throw StoreError.notFound
            } catch  where PostgresErrorDescription.isUniqueViolation(error) {
                throw StoreError.emailTaken
            }
        }
    }

    public func operatorRecord(id: UUID) async throws -> OperatorRecord? {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                "SELECT id, email, created_at FROM operators WHERE id = \(id)", logger: database.logger)
            for try await (id, email, createdAt) in rows.decode((UUID, String, Date).self) {
                return OperatorRecord(id: id, email: email, createdAt: createdAt)
            }
            return nil
        }
    }

    /// Every tenant, for operators.
    public func listTenants(limit: Int, after cursor: PageCursor?) async throws -> Page<TenantRecord> {
        try await database.withSystem { connection in
            let rows = try await connection.query(
                """
                SELECT id, name, slug, created_at, (extract(epoch FROM created_at) * 1000000)::bigint, plan FROM tenants
                WHERE \(cursor == nil) OR (created_at, id) < (to_timestamp(0) + \(cursor?.micros ?? 0) * interval '1 microsecond', \(cursor?.id ?? UUID()))
                ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            var fetched: [(TenantRecord, Int64)] = []
            for try await (id, name, slug, createdAt, micros, plan) in rows.decode((UUID, String, String, Date, Int64, String).self) {
                fetched.append((TenantRecord(id: id, name: name, slug: slug, createdAt: createdAt, plan: plan), micros))
            }
            let page = Page(fetched: fetched.map { IdentifiedRow(value: $0.0, micros: $0.1, id: $0.0.id) }, limit: limit) { $0.cursor }
            return Page(items: page.items.map(\.value), nextCursor: page.nextCursor)
        }
    }

    // MARK: Inside one tenant

    public func tenant(id: UUID) async throws -> TenantRecord? {
        try await database.withTenant(id) { connection in
            let rows = try await connection.query(
                "SELECT id, name, slug, created_at FROM tenants WHERE id = \(id)", logger: database.logger)
            for try await (id, name, slug, createdAt) in rows.decode((UUID, String, String, Date).self) {
                return TenantRecord(id: id, name: name, slug: slug, createdAt: createdAt)
            }
            return nil
        }
    }

    /// A user, their tenant and its plan usage in one statement (for `GET /me`, the most frequent call).
    public func userWithTenant(tenantID: UUID, userID: UUID) async throws -> (UserRecord, TenantRecord, PlanUsage)? {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT u.tenant_id, u.id, u.email, u.role, u.created_at, (extract(epoch FROM u.created_at) * 1000000)::bigint,
                       t.name, t.slug, t.created_at,
                       p.name, p.active_campaigns, p.placements_per_month, p.concurrent_tasks, p.api_requests_per_minute,
                       (SELECT count(*) FROM campaigns c WHERE c.status IN ('active', 'paused'))::int,
                       (SELECT count(*) FROM placements pl WHERE pl.created_at >= \(unescaped: PlacementRepository.monthStart))::int
                FROM users u JOIN tenants t ON t.id = u.tenant_id JOIN plans p ON p.name = t.plan
                WHERE u.id = \(userID)
                """, logger: database.logger)
            for try await r in rows.decode((UUID, UUID, String, String, Date, Int64, String, String, Date, String, Int, Int, Int, Int, Int, Int).self)
            {
                let limits = PlanLimits(name: r.9, activeCampaigns: r.10, placementsPerMonth: r.11, concurrentTasks: r.12, apiRequestsPerMinute: r.13)
                return (
                    Self.user(from: (r.0, r.1, r.2, r.3, r.4, r.5)),
                    TenantRecord(id: r.0, name: r.6, slug: r.7, createdAt: r.8),
                    PlanUsage(limits: limits, activeCampaigns: r.14, placementsThisMonth: r.15)
                )
            }
            return nil
        }
    }

    /// The tenant's plan name and API requests per minute (what the rate limiter enforces), or
    /// nil when the tenant no longer exists.
    public func apiAllowance(tenantID: UUID) async throws -> (plan: String, requestsPerMinute: Int)? {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT p.name, p.api_requests_per_minute FROM tenants t JOIN plans p ON p.name = t.plan WHERE t.id = \(tenantID)
                """, logger: database.logger)
            for try await (plan, perMinute) in rows.decode((String, Int).self) { return (plan, perMinute) }
            return nil
        }
    }

    /// Moves a tenant to another plan (operators). Unknown plans are a field error.
    public func setPlan(tenantID: UUID, plan: String) async throws -> TenantRecord {
        try await database.withSystem { connection in
            let known = try await connection.query("SELECT 1 FROM plans WHERE name = \(plan)", logger: database.logger)
            guard try await known.first(where: { _ in true }) != nil else {
                throw FieldError("plan", "is not a plan; choose free, pro or agency")
            }
            let rows = try await connection.query(
                """
                UPDATE tenants SET plan = \(plan) WHERE id = \(tenantID) RETURNING id, name, slug, created_at, plan
                """, logger: database.logger)
            for try await (id, name, slug, createdAt, plan) in rows.decode((UUID, String, String, Date, String).self) {
                return TenantRecord(id: id, name: name, slug: slug, createdAt: createdAt, plan: plan)
            }
            throw StoreError.notFound
        }
    }

    public func user(tenantID: UUID, id: UUID) async throws -> UserRecord? {
        try await database.withTenant(tenantID) { connection in
            try await Self.fetchUser(id: id, on: connection, logger: database.logger)
        }
    }

    public func listUsers(tenantID: UUID, limit: Int, after cursor: PageCursor?) async throws -> Page<UserRecord> {
        try await database.withTenant(tenantID) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.userColumns) FROM users
                WHERE \(cursor == nil) OR (created_at, id) > (to_timestamp(0) + \(cursor?.micros ?? 0) * interval '1 microsecond', \(cursor?.id ?? UUID()))
                ORDER BY created_at, id LIMIT \(limit + 1)
                """, logger: database.logger)
            var fetched: [UserRecord] = []
            for try await row in rows.decode((UUID, UUID, String, String, Date, Int64).self) { fetched.append(Self.user(from: row)) }
            return Page(fetched: fetched, limit: limit) { $0.cursor }
        }
    }

    public func createUser(tenantID: UUID, email: EmailAddress, passwordHash: String, role: TenantRole) async throws -> UserRecord {
        // Operators live outside tenants; only the system path can see whether one holds the email.
        try await database.withSystem { connection in try await Self.ensureNoOperator(with: email, on: connection) }
        return try await database.withTenant(tenantID) { connection in
            try await Self.insertUser(tenantID: tenantID, email: email, passwordHash: passwordHash, role: role, on: connection)
        }
    }

    /// Changes a user's role. Refuses (`lastOwner`) to demote the tenant's only owner; owners are
    /// locked first so two concurrent demotions cannot both succeed.
    public func changeRole(tenantID: UUID, userID: UUID, to role: TenantRole) async throws -> UserRecord {
        try await database.withTenant(tenantID) { connection in
            let owners = try await Self.lockOwners(on: connection, logger: database.logger)
            guard let current = try await Self.fetchUser(id: userID, on: connection, logger: database.logger) else {
                throw StoreError.notFound
            }
            if current.role == .owner, role != .owner, owners.count <= 1 { throw StoreError.lastOwner }
            let rows = try await connection.query(
                """
                UPDATE users SET role = \(role.rawValue), updated_at = now() WHERE id = \(userID)
                RETURNING \(unescaped: Self.userColumns)
                """, logger: database.logger)
            for try await row in rows.decode((UUID, UUID, String, String, Date, Int64).self) { return Self.user(from: row) }
            throw StoreError.notFound
        }
    }

    /// Removes a user and revokes the API keys they created. Refuses to remove the only owner.
    public func deleteUser(tenantID: UUID, userID: UUID) async throws {
        try await database.withTenant(tenantID) { connection in
            let owners = try await Self.lockOwners(on: connection, logger: database.logger)
            guard let current = try await Self.fetchUser(id: userID, on: connection, logger: database.logger) else {
                throw StoreError.notFound
            }
            if current.role == .owner, owners.count <= 1 { throw StoreError.lastOwner }
            try await connection.query("DELETE FROM users WHERE id = \(userID)", logger: database.logger)
            try await connection.query(
                "UPDATE api_keys SET revoked_at = now() WHERE created_by = \(userID) AND revoked_at IS NULL",
                logger: database.logger)
        }
    }

    // MARK: Helpers

    static func insertUser(tenantID: UUID, email: EmailAddress, passwordHash: String, role: TenantRole, on connection: PostgresConnection)
        async throws -> UserRecord
    {
        do {
            let rows = try await connection.query(
                """
                INSERT INTO users (tenant_id, id, email, password_hash, role)
                VALUES (\(tenantID), \(UUID()), \(email.value), \(passwordHash), \(role.rawValue))
                RETURNING \(unescaped: userColumns)
                """, logger: connection.logger)
            for try await row in rows.decode((UUID, UUID, String, String, Date, Int64).self) { return user(from: row) }
            throw StoreError.notFound
        } catch  where PostgresErrorDescription.isUniqueViolation(error, constraint: "users_email_key") {
            throw StoreError.emailTaken
        }
    }

    static func ensureNoOperator(with email: EmailAddress, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            "SELECT 1 FROM operators WHERE lower(email) = \(email.value)", logger: connection.logger)
        for try await _ in rows { throw StoreError.emailTaken }
    }

    static func fetchUser(id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> UserRecord? {
        let rows = try await connection.query(
            "SELECT \(unescaped: userColumns) FROM users WHERE id = \(id)", logger: logger)
        for try await row in rows.decode((UUID, UUID, String, String, Date, Int64).self) { return user(from: row) }
        return nil
    }

    static func lockOwners(on connection: PostgresConnection, logger: Logger) async throws -> [UUID] {
        var ids: [UUID] = []
        let rows = try await connection.query(
            "SELECT id FROM users WHERE role = 'owner' ORDER BY id FOR UPDATE", logger: logger)
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        return ids
    }

    static func user(from row: (UUID, UUID, String, String, Date, Int64)) -> UserRecord {
        UserRecord(
            tenantID: row.0, id: row.1, email: row.2, role: TenantRole(rawValue: row.3) ?? .member,
            createdAt: row.4, createdMicros: row.5)
    }
}

/// A row paired with its exact sort key, for building cursors.
struct IdentifiedRow<Value: Sendable>: Sendable {
    let value: Value
    let micros: Int64
    let id: UUID
    var cursor: PageCursor { PageCursor(micros: micros, id: id) }
}

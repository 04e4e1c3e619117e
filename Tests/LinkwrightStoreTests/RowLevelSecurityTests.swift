import Foundation
import LinkwrightCore
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing

@Suite struct RowLevelSecurityTests {
    func withDatabase(_ body: (Database) async throws -> Void) async throws {
        try await TestDatabase.withRunningDatabase(maximumConnections: 4, body)
    }

    func makeTenant(_ accounts: AccountRepository, _ name: String) async throws -> (TenantRecord, UserRecord) {
        try await accounts.createTenant(
            name: name, ownerEmail: EmailAddress("\(UUID().uuidString.prefix(8))@\(name.lowercased()).test")!, passwordHash: "x")
    }

    @Test func aQueryWithoutTenantContextSeesNoRows() async throws {
        try await withDatabase { database in
            let accounts = AccountRepository(database: database)
            _ = try await makeTenant(accounts, "Alpha")
            _ = try await makeTenant(accounts, "Beta")
            for table in ["tenants", "users", "api_keys", "audit_log", "campaigns", "tasks"] {
                let count = try await database.queryWithoutTenantContext(
                    PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)")
                ).decode(Int.self).reduce(0, +)
                #expect(count == 0, "\(table) leaked \(count) rows without a tenant")
            }
        }
    }

    @Test func aTenantContextSeesOnlyItsOwnRows() async throws {
        try await withDatabase { database in
            let accounts = AccountRepository(database: database)
            let (alpha, alphaOwner) = try await makeTenant(accounts, "Alpha")
            let (beta, betaOwner) = try await makeTenant(accounts, "Beta")
            #expect(try await accounts.user(tenantID: alpha.id, id: alphaOwner.id) != nil)
            #expect(try await accounts.user(tenantID: alpha.id, id: betaOwner.id) == nil)
            #expect(try await accounts.tenant(id: beta.id) != nil)
            let seen = try await database.withTenant(alpha.id) { connection in
                try await connection.query("SELECT id FROM tenants", logger: TestDatabase.logger).decode(UUID.self).reduce(into: [UUID]()) {
                    $0.append($1)
                }
            }
            #expect(seen == [alpha.id])
        }
    }

    @Test func aTenantCannotWriteRowsIntoAnotherTenant() async throws {
        try await withDatabase { database in
            let accounts = AccountRepository(database: database)
            let (alpha, _) = try await makeTenant(accounts, "Alpha")
            let (beta, _) = try await makeTenant(accounts, "Beta")
            let error = await #expect(throws: (any Error).self) {
                try await database.withTenant(alpha.id) { connection in
                    try await connection.query(
                        """
                        INSERT INTO users (tenant_id, id, email, password_hash, role)
                        VALUES (\(beta.id), \(UUID()), 'intruder@beta.test', 'x', 'owner')
                        """, logger: TestDatabase.logger)
                }
            }
            #expect(error.map(PostgresErrorDescription.describe)?.contains("row-level security") == true)
        }
    }

    @Test func theApplicationRolesCannotBypassRowLevelSecurity() async throws {
        let endpoint = try await TestDatabase.create()
        let roles = try await TestDatabase.withConnection(endpoint) { connection in
            try await connection.query(
                """
                SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname IN ('linkwright_app', 'linkwright_system')
                """, logger: TestDatabase.logger
            ).decode((String, Bool, Bool).self).reduce(into: [(String, Bool, Bool)]()) { $0.append($1) }
        }
        #expect(roles.count == 2)
        for (name, isSuper, bypass) in roles { #expect(!isSuper && !bypass, "\(name) must not bypass RLS") }
        let forced = try await TestDatabase.withConnection(endpoint) { connection in
            try await connection.query(
                """
                SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT relispartition
                  AND (relname = 'tenants' OR EXISTS (
                        SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'))
                  AND NOT (relrowsecurity AND relforcerowsecurity)
                """, logger: TestDatabase.logger
            ).decode(String.self).reduce(into: [String]()) { $0.append($1) }
        }
        #expect(forced.isEmpty, "tables without forced RLS: \(forced)")
    }
}

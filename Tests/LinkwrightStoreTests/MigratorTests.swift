import Foundation
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing

@Suite struct MigratorTests {
    let logger = TestDatabase.logger

    func appliedVersions(_ endpoint: DatabaseEndpoint) async throws -> [Int: String] {
        try await TestDatabase.withConnection(endpoint) { connection in
            var result: [Int: String] = [:]
            for try await (version, checksum) in try await connection.query(
                "SELECT version, checksum FROM schema_migrations", logger: logger
            ).decode((Int, String).self) { result[version] = checksum }
            return result
        }
    }

    @Test func migrationsAreAppliedOnceAndRecordedWithTheirChecksum() async throws {
        let endpoint = try await TestDatabase.createEmpty()
        let migrations = try TestDatabase.migrations()
        let migrator = Migrator(endpoint: endpoint, migrations: migrations, logger: logger)
        #expect(try await migrator.migrate() == migrations.map(\.version))
        #expect(try await migrator.migrate().isEmpty)
        let applied = try await appliedVersions(endpoint)
        for migration in migrations { #expect(applied[migration.version] == migration.checksum) }
    }

    @Test func aChangedAppliedMigrationStopsStartUpWithAClearError() async throws {
        let endpoint = try await TestDatabase.createEmpty()
        let original = Migration(version: 1, name: "first", sql: "CREATE TABLE t (x int);")
        try await Migrator(endpoint: endpoint, migrations: [original], logger: logger).migrate()
        let edited = Migration(version: 1, name: "first", sql: "CREATE TABLE t (x bigint);")
        let error = await #expect(throws: Migrator.ChecksumMismatch.self) {
            try await Migrator(endpoint: endpoint, migrations: [edited], logger: logger).migrate()
        }
        #expect(error?.description.contains("0001_first.sql was changed after it was applied") == true)
    }

    @Test func aFailingMigrationLeavesNothingHalfApplied() async throws {
        let endpoint = try await TestDatabase.createEmpty()
        let good = Migration(version: 1, name: "good", sql: "CREATE TABLE kept (x int);")
        let bad = Migration(version: 2, name: "bad", sql: "CREATE TABLE half (x int); SELECT * FROM missing_table;")
        await #expect(throws: Migrator.MigrationFailed.self) {
            try await Migrator(endpoint: endpoint, migrations: [good, bad], logger: logger).migrate()
        }
        #expect(try await appliedVersions(endpoint).keys.sorted() == [1])
        let tables = try await TestDatabase.withConnection(endpoint) { connection in
            var names: [String] = []
            for try await name in try await connection.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", logger: logger
            ).decode(String.self) { names.append(name) }
            return names
        }
        #expect(tables.contains("kept"))
        #expect(!tables.contains("half"))
    }

    /// Migration 0013 rebuilds `tasks` partitioned by state: a deployment's tasks must all come
    /// across, each into the partition its state names, and new ids must go on after the old.
    @Test func upgradingToTheHotTableKeepsEveryTaskWhereItBelongsAndIdsGoOn() async throws {
        let endpoint = try await TestDatabase.createEmpty()
        let migrations = try TestDatabase.migrations()
        try await Migrator(endpoint: endpoint, migrations: migrations.filter { $0.version < 13 }, logger: logger).migrate()
        let tenant = UUID()
        try await TestDatabase.withConnection(endpoint) { connection in
            try await connection.query("INSERT INTO tenants (id, name, slug) VALUES (\(tenant), 'Old', 'old')", logger: logger)
            try await connection.query(
                """
                INSERT INTO tasks (tenant_id, lane, engine, state, run_at, idempotency_key)
                SELECT \(tenant), 'normal', 'noop', s, now(), s || g
                FROM unnest(ARRAY['available', 'running', 'succeeded', 'dead']) AS s, generate_series(1, 5) g
                """, logger: logger)
        }
        try await Migrator(endpoint: endpoint, migrations: migrations, logger: logger).migrate()
        try await TestDatabase.withConnection(endpoint) { connection in
            var found: [String: Int] = [:]
            for try await (place, count) in try await connection.query(
                "SELECT tableoid::regclass::text || ':' || state, count(*)::int FROM tasks GROUP BY 1", logger: logger
            ).decode((String, Int).self) { found[place] = count }
            #expect(found == ["tasks_queued:available": 5, "tasks_queued:running": 5, "tasks_finished:succeeded": 5, "tasks_finished:dead": 5])
            let ids = try await connection.query(
                """
                WITH new AS (
                    INSERT INTO tasks (tenant_id, lane, engine, state, run_at, idempotency_key)
                    VALUES (\(tenant), 'normal', 'noop', 'available', now(), 'after') RETURNING id
                )
                SELECT (SELECT id FROM new), (SELECT max(id) FROM tasks)
                """, logger: logger
            ).decode((Int64, Int64?).self)
            for try await (new, oldMax) in ids { #expect(new == 21 && oldMax == 20) }
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationExactlyOnce() async throws {
        let endpoint = try await TestDatabase.createEmpty()
        let migrations = [
            Migration(version: 1, name: "slow", sql: "CREATE TABLE once (x int); SELECT pg_sleep(0.3);"),
            Migration(version: 2, name: "next", sql: "INSERT INTO once VALUES (1);"),
        ]
        let results = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask { try await Migrator(endpoint: endpoint, migrations: migrations, logger: logger).migrate() }
            }
            return try await group.reduce(into: [[Int]]()) { $0.append($1) }
        }
        #expect(results.filter { !$0.isEmpty } == [[1, 2]])
        let rows = try await TestDatabase.withConnection(endpoint) { connection in
            try await connection.query("SELECT count(*) FROM once", logger: logger).decode(Int.self).reduce(0, +)
        }
        #expect(rows == 1)
    }
}

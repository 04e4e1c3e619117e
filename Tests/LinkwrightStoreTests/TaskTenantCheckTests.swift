import Foundation
import LinkwrightCore
import LinkwrightStore
import LinkwrightTestSupport
import NIOConcurrencyHelpers
import PostgresNIO
import Testing

/// A task's tenant is checked once per statement (migration 0015) instead of by a foreign key's
/// trigger per row; what the key guaranteed must still hold, races with a tenant's deletion
/// included.
@Suite struct TaskTenantCheckTests {
    func tenant(_ database: Database) async throws -> UUID { try await TaskQueueTests().tenant(database) }

    func insertTask(_ tenantID: UUID, key: String, into table: String = "tasks_queued", on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO \(unescaped: table) (tenant_id, lane, engine, state, run_at, idempotency_key)
            VALUES (\(tenantID), 'normal', 'noop', 'available', now(), \(key))
            """, logger: TestDatabase.logger)
    }

    func taskCount(_ tenantID: UUID, _ endpoint: DatabaseEndpoint) async throws -> Int {
        try await TestDatabase.withConnection(endpoint) { connection in
            try await connection.query("SELECT count(*)::int FROM tasks WHERE tenant_id = \(tenantID)", logger: TestDatabase.logger)
                .decode(Int.self).first { _ in true } ?? -1
        }
    }

    @Test func aTaskForATenantThatDoesNotExistIsRefusedAndNothingIsWritten() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestDatabase.withRunningDatabase(endpoint: endpoint) { database in
            let ghost = UUID()
            await #expect(throws: (any Error).self, "through the queue, as the tenant") {
                try await TaskQueue(database: database).enqueue(tenantID: ghost, [NewTask(lane: .normal, engine: "noop", idempotencyKey: "x")])
            }
            for table in ["tasks", "tasks_queued", "tasks_finished"] {
                do {
                    try await database.withSystem { connection in
                        let t = try await tenant(database)
                        // A real tenant's task in the same statement does not carry the other in.
                        try await connection.query(
                            """
                            INSERT INTO \(unescaped: table) (tenant_id, lane, engine, state, run_at, idempotency_key)
                            VALUES (\(t), 'normal', 'noop', \(table == "tasks_finished" ? "succeeded" : "available"), now(), 'real'),
                                   (\(ghost), 'normal', 'noop', \(table == "tasks_finished" ? "succeeded" : "available"), now(), 'ghost')
                            """, logger: TestDatabase.logger)
                    }
                    Issue.record("an insert into \(table) for a missing tenant was accepted")
                } catch {
                    #expect(PostgresErrorDescription.sqlState(of: error) == "23503", "\(table): \(String(reflecting: error))")
                }
            }
            #expect(try await taskCount(ghost, endpoint) == 0)
            let written = try await TestDatabase.withConnection(endpoint) { connection in
                try await connection.query("SELECT count(*)::int FROM tasks", logger: TestDatabase.logger).decode(Int.self).first { _ in true }
            }
            #expect(written == 0, "the real tenant's row went back with the statement")
        }
    }

    @Test func deletingATenantDeletesItsTasksWhereverTheyLive() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestDatabase.withRunningDatabase(endpoint: endpoint) { database in
            let queue = TaskQueue(database: database)
            let (gone, kept) = (try await tenant(database), try await tenant(database))
            for t in [gone, kept] {
                try await queue.enqueue(tenantID: t, (0..<3).map { NewTask(lane: .normal, engine: "noop", idempotencyKey: "k\($0)") })
            }
            let claimed = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 6, perTenant: 3, lease: .seconds(30))
            for task in claimed { _ = try await queue.complete(task, owner: "w", result: "{}") }
            try await TestDatabase.execute("DELETE FROM tenants WHERE id = '\(gone.uuidString)'", on: endpoint)
            #expect(try await taskCount(gone, endpoint) == 0)
            #expect(try await taskCount(kept, endpoint) == 3)
        }
    }

    /// The delete waits for the enqueue in flight, then removes what it wrote.
    @Test func aTenantDeletedDuringAnEnqueueLeavesNoTaskBehind() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestDatabase.withRunningDatabase(endpoint: endpoint) { database in
            let t = try await tenant(database)
            let deleted = NIOLockedValueBox(false)
            try await TestDatabase.withConnection(endpoint) { enqueuer in
                try await enqueuer.query("BEGIN", logger: TestDatabase.logger)
                try await insertTask(t, key: "in-flight", on: enqueuer)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await TestDatabase.execute("DELETE FROM tenants WHERE id = '\(t.uuidString)'", on: endpoint)
                        deleted.withLockedValue { $0 = true }
                    }
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(!deleted.withLockedValue { $0 }, "the delete waits for the enqueue")
                    try await enqueuer.query("COMMIT", logger: TestDatabase.logger)
                    try await group.waitForAll()
                }
            }
            #expect(deleted.withLockedValue { $0 })
            #expect(try await taskCount(t, endpoint) == 0)
        }
    }

    /// An enqueue that waited for a delete finds its tenant gone and writes nothing.
    @Test func anEnqueueAfterItsTenantsDeleteFailsAndWritesNothing() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestDatabase.withRunningDatabase(endpoint: endpoint) { database in
            let t = try await tenant(database)
            try await TestDatabase.withConnection(endpoint) { deleter in
                try await deleter.query("BEGIN", logger: TestDatabase.logger)
                try await deleter.query("DELETE FROM tenants WHERE id = \(t)", logger: TestDatabase.logger)
                try await withThrowingTaskGroup(of: String?.self) { group in
                    group.addTask {
                        do {
                            try await TestDatabase.withConnection(endpoint) { try await insertTask(t, key: "late", on: $0) }
                            return nil
                        } catch {
                            return PostgresErrorDescription.sqlState(of: error) ?? String(reflecting: error)
                        }
                    }
                    try await Task.sleep(for: .milliseconds(500))
                    try await deleter.query("COMMIT", logger: TestDatabase.logger)
                    #expect(try await group.next() ?? nil == "23503")
                }
            }
            #expect(try await taskCount(t, endpoint) == 0)
        }
    }

    @Test func aTasksTenantNeverChanges() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestDatabase.withRunningDatabase(endpoint: endpoint) { database in
            let (a, b) = (try await tenant(database), try await tenant(database))
            try await TaskQueue(database: database).enqueue(tenantID: a, [NewTask(lane: .normal, engine: "noop", idempotencyKey: "mine")])
            do {
                try await TestDatabase.withConnection(endpoint) {
                    try await $0.query("UPDATE tasks SET tenant_id = \(b) WHERE tenant_id = \(a)", logger: TestDatabase.logger)
                }
                Issue.record("a task moved to another tenant")
            } catch {
                #expect(PostgresErrorDescription.sqlState(of: error) == "23000", "\(String(reflecting: error))")
            }
            #expect(try await taskCount(a, endpoint) == 1)
            #expect(try await taskCount(b, endpoint) == 0)
        }
    }
}

import Foundation
import LinkwrightCore
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing

/// Finished tasks leave the table the dequeue works on (migration 0013), and nothing a worker or
/// a planner does notices: keys stay unique across both partitions, and statements that meet a
/// row moved under them are run again instead of failing.
@Suite struct HotTableTests {
    let lease: Duration = .seconds(30)

    func tenant(_ database: Database) async throws -> UUID { try await TaskQueueTests().tenant(database) }

    /// Where each of the tenant's tasks lives: partition name → states found there.
    func partitions(_ database: Database, _ tenantID: UUID) async throws -> [String: [String: Int]] {
        try await database.withSystem { connection in
            var found: [String: [String: Int]] = [:]
            let rows = try await connection.query(
                """
                SELECT tableoid::regclass::text, state, count(*)::int FROM tasks WHERE tenant_id = \(tenantID) GROUP BY 1, 2
                """, logger: TestDatabase.logger)
            for try await (partition, state, count) in rows.decode((String, String, Int).self) { found[partition, default: [:]][state] = count }
            return found
        }
    }

    @Test func finishedTasksLeaveTheHotTableAndADeadOneRetriedComesBack() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)
            try await queue.enqueue(tenantID: t, (0..<4).map { NewTask(lane: .normal, engine: "noop", idempotencyKey: "k\($0)", maxAttempts: 1) })
            let claimed = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 3, perTenant: 3, lease: lease)
            #expect(claimed.count == 3)
            #expect(try await queue.complete(claimed[0], owner: "w", result: "{}"))
            #expect(try await queue.fail(claimed[1], owner: "w", error: "boom")?.state == .dead)
            #expect(
                try await partitions(database, t) == [
                    "tasks_queued": ["running": 1, "available": 1],
                    "tasks_finished": ["succeeded": 1, "dead": 1],
                ])

            #expect(try await queue.retryDead(tenantID: t, id: claimed[1].id))
            #expect(
                try await partitions(database, t) == [
                    "tasks_queued": ["running": 1, "available": 2],
                    "tasks_finished": ["succeeded": 1],
                ])
            // Counted wherever they live, through the one table every reader uses.
            #expect(try await TaskRepository(database: database).counts(tenantID: t)[.normal] == [.running: 1, .available: 2, .succeeded: 1])
        }
    }

    /// The operators' overview (and the queue gauges) reads the hot partition and the dead tasks
    /// only; what succeeded is history and is not counted.
    @Test func theLanesOverviewCountsWorkWaitingRunningAndDeadButNotSucceeded() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)
            try await queue.enqueue(
                tenantID: t,
                (0..<4).map { NewTask(lane: .bulk, engine: "noop", idempotencyKey: "b\($0)", maxAttempts: 1) }
                    + [NewTask(lane: .bulk, engine: "noop", idempotencyKey: "later", runAt: Date().addingTimeInterval(3600))])
            let claimed = try await queue.dequeue(lane: .bulk, engines: ["noop"], owner: "w", batch: 3, perTenant: 3, lease: lease)
            #expect(try await queue.complete(claimed[0], owner: "w", result: "{}"))
            #expect(try await queue.fail(claimed[1], owner: "w", error: "boom")?.state == .dead)
            let bulk = try #require(try await QueueAdministration(database: database).lanes().first { $0.lane == .bulk })
            #expect((bulk.available, bulk.running, bulk.scheduled, bulk.dead) == (1, 1, 1, 1))
        }
    }

    @Test func aFinishedTasksKeyIsNeverEnqueuedAgain() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)
            #expect(try await queue.enqueue(tenantID: t, [NewTask(lane: .normal, engine: "noop", idempotencyKey: "once")]) == 1)
            let claimed = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 1, perTenant: 1, lease: lease)
            #expect(try await queue.complete(claimed[0], owner: "w", result: "{}"))
            #expect(
                try await queue.enqueue(
                    tenantID: t,
                    [
                        NewTask(lane: .normal, engine: "noop", idempotencyKey: "once"),
                        NewTask(lane: .normal, engine: "noop", idempotencyKey: "new"),
                    ]) == 1)
            #expect(try await partitions(database, t) == ["tasks_queued": ["available": 1], "tasks_finished": ["succeeded": 1]])
        }
    }

    /// Keys re-enqueued while the tasks holding them finish: the enqueue can look at the finished
    /// partition before the move and at the hot one after it, and must still add nothing.
    @Test func keysReEnqueuedWhileTheirTasksFinishAreNeverDoubled() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)
            for round in 0..<15 {
                let batch = (0..<40).map { NewTask(lane: .normal, engine: "noop", idempotencyKey: "r\(round)-\($0)") }
                #expect(try await queue.enqueue(tenantID: t, batch) == 40)
                let claimed = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 40, perTenant: 40, lease: lease)
                #expect(claimed.count == 40)
                let added = try await withThrowingTaskGroup(of: Int.self) { group in
                    for task in claimed {
                        group.addTask {
                            _ = try await queue.complete(task, owner: "w", result: "{}")
                            return 0
                        }
                    }
                    for chunk in stride(from: 0, to: 40, by: 5) {
                        group.addTask { try await queue.enqueue(tenantID: t, Array(batch[chunk..<chunk + 5])) }
                    }
                    return try await group.reduce(0, +)
                }
                #expect(added == 0, "round \(round) enqueued \(added) keys again")
            }
            let doubled = try await database.withSystem { connection in
                try await connection.query(
                    """
                    SELECT count(*)::int FROM (SELECT idempotency_key FROM tasks WHERE tenant_id = \(t) GROUP BY 1 HAVING count(*) > 1) d
                    """, logger: TestDatabase.logger
                ).decode(Int.self).first { _ in true } ?? -1
            }
            #expect(doubled == 0)
            #expect(try await partitions(database, t) == ["tasks_finished": ["succeeded": 600]])
        }
    }

    /// A heartbeat extends every lease its worker holds while that worker's completions move
    /// rows out from under it; PostgreSQL refuses such a statement (40001) and the store runs it
    /// again, so the worker never sees a failed heartbeat.
    @Test func heartbeatsWhileCompletionsMoveRowsNeverFail() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)
            var beats = 0
            for round in 0..<4 {
                try await queue.enqueue(tenantID: t, (0..<50).map { NewTask(lane: .normal, engine: "noop", idempotencyKey: "h\(round)-\($0)") })
                let held = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 50, perTenant: 50, lease: lease)
                #expect(held.count == 50)
                beats += try await withThrowingTaskGroup(of: Int.self) { group in
                    group.addTask {
                        for task in held {
                            let completed = try await queue.complete(task, owner: "w", result: "{}")
                            #expect(completed)
                        }
                        return 0
                    }
                    group.addTask {
                        var beats = 0
                        while try await queue.heartbeat(owner: "w", lease: .seconds(30)) > 0 { beats += 1 }
                        return beats
                    }
                    return try await group.reduce(0, +)
                }
            }
            #expect(beats > 0)
            #expect(try await partitions(database, t) == ["tasks_finished": ["succeeded": 200]])
        }
    }
}

import Foundation
import LinkwrightCore
import LinkwrightStore
import Logging
import PostgresNIO

/// Whether the fair dequeue stays cheap as the backlog grows: one tenant holds `backlog` ready
/// tasks, a second tenant then enqueues 10; we time claims of 10 (each completed at once, as a
/// worker would) with one backlog size and then the next, in one run. Prints one JSON line per
/// size: median and p99 claim time, and how many claims it took until all of the small tenant's
/// tasks were out. The smallest backlog also runs with `history` finished tasks of the big
/// tenant already in the table: finished work must slow neither the fetch path nor enqueueing
/// (the big tenant's backlog is enqueued in chunks of 10,000, and that rate is printed too).
enum BacklogBench {
    static func run(database: Database, sizes: [Int], history: Int, claims: Int) async throws {
        // The history case right after the first, so both start from a table the size of their
        // backlog, not one the largest backlog has just been deleted from.
        for (size, finished) in [(sizes[0], 0), (sizes[0], history)] + sizes.dropFirst().map({ ($0, 0) }) {
            let accounts = AccountRepository(database: database)
            func tenant(_ name: String) async throws -> UUID {
                let (tenant, _) = try await accounts.createTenant(
                    name: name, ownerEmail: EmailAddress("\(name.lowercased())-\(UUID().uuidString.prefix(8))@bench.test")!, passwordHash: "x")
                _ = try await accounts.setPlan(tenantID: tenant.id, plan: "agency")
                return tenant.id
            }
            let big = try await tenant("Big")
            let small = try await tenant("Small")
            let queue = TaskQueue(database: database)
            let lane = Lane.bulk
            if finished > 0 {
                try await database.withSystem { connection in
                    try await connection.query(
                        """
                        INSERT INTO tasks (tenant_id, lane, engine, state, run_at, idempotency_key, finished_at)
                        SELECT \(big), 'bulk', 'noop', 'succeeded', now() - interval '1 day', 'done-' || g, now() - interval '1 day'
                        FROM generate_series(1, \(finished)) g
                        """, logger: connection.logger)
                }
                try await vacuum(database)
            }
            let enqueueStart = ContinuousClock.now
            for offset in stride(from: 0, to: size, by: 10_000) {
                try await queue.enqueue(
                    tenantID: big,
                    (offset..<min(offset + 10_000, size)).map {
                        NewTask(lane: lane, engine: "noop", idempotencyKey: "big-\(size)-\($0)")
                    })
            }
            let enqueueRate = Int(Double(size) / (ContinuousClock.now - enqueueStart).inSeconds)
            try await queue.enqueue(tenantID: small, (0..<10).map { NewTask(lane: lane, engine: "noop", idempotencyKey: "small-\($0)") })
            try await vacuum(database)

            var times: [Double] = []
            var smallLeft = 10
            var claimsUntilSmallDone = 0
            for number in 1...claims {
                let started = ContinuousClock.now
                let claimed = try await queue.dequeue(lane: lane, engines: ["noop"], owner: "bench", batch: 10, perTenant: 10, lease: .seconds(60))
                times.append((ContinuousClock.now - started).inMilliseconds)
                _ = try await queue.completeAll(claimed.map { ($0, "{}") }, owner: "bench")
                smallLeft -= claimed.filter { $0.tenantID == small }.count
                if smallLeft == 0 && claimsUntilSmallDone == 0 { claimsUntilSmallDone = number }
            }
            times.sort()
            let median = times[times.count / 2]
            let p99 = times[min(times.count - 1, times.count * 99 / 100)]
            print(
                #"{"backlog": \#(size), "finished_history": \#(finished), "enqueue_per_second": \#(enqueueRate), "claims": \#(claims), "median_ms": \#(String(format: "%.3f", median)), "p99_ms": \#(String(format: "%.3f", p99)), "claims_until_small_tenant_done": \#(claimsUntilSmallDone)}"#
            )
            // Leave the lane empty, and vacuumed, for the next size.
            try await database.withSystem { connection in
                try await connection.query("DELETE FROM tasks WHERE lane = \(lane.rawValue)", logger: connection.logger)
            }
            try await vacuum(database)
        }
    }

    /// Settled, as a table whose history built up over weeks is: autovacuum's pass over rows just
    /// written or deleted would otherwise run during what is timed, in one case and not another.
    /// As the owner: PostgreSQL skips, with only a warning, a VACUUM or ANALYZE by the
    /// application's roles.
    static func vacuum(_ database: Database) async throws {
        let logger = Logger(label: "bench.vacuum")
        let connection = try await PostgresConnection.connect(
            configuration: database.endpoint.connectionConfiguration(), id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        try await connection.query("VACUUM (ANALYZE) tasks", logger: logger)
    }
}

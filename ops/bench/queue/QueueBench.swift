import Foundation
import LinkwrightCore
import LinkwrightEngines
import LinkwrightWorkers
import LinkwrightStore
import Logging

/// Drives the real queue in one process: bulk-enqueues a backlog of no-op tasks for one tenant,
/// then drains it with the real worker runtime (fairness, plan cap, leases and heartbeats on)
/// and prints one JSON line: enqueue rate and end-to-end drain rate, in tasks per second.
/// Usage: linkwright-queue-bench DATABASE_URL TASKS WORKERS BATCH — WORKERS × BATCH tasks in flight at
/// most (as pgbench's WORKERS clients holding BATCH each), claimed BATCH at a time.
/// Or: linkwright-queue-bench DATABASE_URL backlog SIZE — see `BacklogBench`.
@main
struct QueueBench {
    static func main() async throws {
        let args = CommandLine.arguments
        if args.count == 4, args[2] == "backlog", let largest = Int(args[3]) {
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            let database = Database(endpoint: try DatabaseEndpoint(url: args[1]), maximumConnections: 4, logger: logger)
            let pools = Task { try await database.run() }
            defer { pools.cancel() }
            try await BacklogBench.run(database: database, sizes: [10_000, largest], history: largest, claims: 300)
            return
        }
        guard args.count == 5, let tasks = Int(args[2]), let workers = Int(args[3]), let batch = Int(args[4]) else {
            FileHandle.standardError.write(Data("usage: linkwright-queue-bench DATABASE_URL TASKS WORKERS BATCH\n".utf8))
            exit(2)
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let database = Database(endpoint: try DatabaseEndpoint(url: args[1]), maximumConnections: workers + 4, logger: logger)
        let pools = Task { try await database.run() }
        defer { pools.cancel() }

        let accounts = AccountRepository(database: database)
        let (tenant, _) = try await accounts.createTenant(
            name: "Bench", ownerEmail: EmailAddress("bench-\(UUID().uuidString.prefix(8))@bench.test")!, passwordHash: "x")
        _ = try await accounts.setPlan(tenantID: tenant.id, plan: "agency")
        let queue = TaskQueue(database: database)

        let chunk = 5_000
        let enqueueStart = ContinuousClock.now
        // Two chunks in flight at once, one per core: each INSERT is one backend's work.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, offset) in stride(from: 0, to: tasks, by: chunk).enumerated() {
                if index >= 2 { try await group.next() }
                group.addTask {
                    try await queue.enqueue(
                        tenantID: tenant.id,
                        (offset..<min(offset + chunk, tasks)).map {
                            NewTask(lane: .normal, engine: "noop", idempotencyKey: "bench-\($0)")
                        })
                }
            }
            try await group.waitForAll()
        }
        let enqueueSeconds = (ContinuousClock.now - enqueueStart).inSeconds

        let runtime = QueueWorkers(
            database: database, queue: queue, registry: EngineRegistry([NoopEngine()]),
            configuration: WorkerConfiguration(
                concurrency: [.normal: workers * batch], batchSize: batch, lease: .seconds(60),
                pollInterval: .milliseconds(50)),
            logger: logger)
        let admin = QueueAdministration(database: database)
        let drainStart = ContinuousClock.now
        let running = Task { try await runtime.run() }
        // Progress is polled cheaply and rarely, so the harness does not compete with what it measures.
        while try await admin.unfinished(lane: .normal) > 0 {
            try await Task.sleep(for: .milliseconds(250))
        }
        let drainSeconds = (ContinuousClock.now - drainStart).inSeconds
        running.cancel()
        _ = try? await running.value
        print(
            #"{"tasks": \#(tasks), "workers": \#(workers), "batch": \#(batch), "enqueue_per_second": \#(Int(Double(tasks) / enqueueSeconds)), "drain_per_second": \#(Int(Double(tasks) / drainSeconds))}"#
        )
    }
}

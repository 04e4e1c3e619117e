import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightEngines
import LinkwrightServer
import LinkwrightStore
import LinkwrightTestSupport
import NIOConcurrencyHelpers
import PostgresNIO
import Testing
@testable import LinkwrightWorkers

/// Fails a task's first attempt, succeeds after.
struct FlakyEngine: Engine {
    let name = "flaky"
    func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        task.attempt == 1 ? .failed(reason: "first attempts always fail") : .done(result: #"{"attempt":\#(task.attempt)}"#)
    }
}

/// Takes far longer than any test waits.
struct StuckEngine: Engine {
    let name = "stuck"
    func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        try await Task.sleep(for: .seconds(60))
        return .done(result: "{}")
    }
}

@Suite struct WorkerRuntimeTests {
    /// Workers that only wake through NOTIFY: the safety poll is far longer than any wait here.
    func workers(lease: Duration = .seconds(30), deadline: Duration = .seconds(5)) -> WorkerConfiguration {
        var config = WorkerConfiguration(
            concurrency: [.normal: 2], batchSize: 10, lease: lease, pollInterval: .seconds(60),
            shutdownDeadline: deadline)
        config.retry = RetryPolicy(baseSeconds: 0.05, maximumSeconds: 0.2)
        return config
    }

    func tenant(_ database: Database) async throws -> UUID {
        let (tenant, _) = try await AccountRepository(database: database).createTenant(
            name: "W", ownerEmail: EmailAddress("\(UUID().uuidString.prefix(8))@w.test")!, passwordHash: "x")
        _ = try await AccountRepository(database: database).setPlan(tenantID: tenant.id, plan: "agency")
        return tenant.id
    }

    func states(_ endpoint: DatabaseEndpoint, _ tenantID: UUID) async throws -> [String: Int] {
        try await TestDatabase.withConnection(endpoint) { c in
            try await c.query("SELECT state, count(*)::int FROM tasks WHERE tenant_id = \(tenantID) GROUP BY state", logger: TestDatabase.logger)
                .decode((String, Int).self).reduce(into: [String: Int]()) { $0[$1.0] = $1.1 }
        }
    }

    func waitUntil(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func workersWakeOnEnqueueRetryFailuresAndRecordEachResultOnce() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestApp.run(endpoint: endpoint, workers: workers(), engines: EngineRegistry([NoopEngine(), FlakyEngine()])) { api, database in
            let t = try await tenant(database)
            let queue = TaskQueue(database: database)
            try await queue.enqueue(
                tenantID: t, (0..<20).map { NewTask(lane: .normal, engine: $0 % 2 == 0 ? "noop" : "flaky", idempotencyKey: "k\($0)") })
            #expect(try await waitUntil { try await states(endpoint, t) == ["succeeded": 20] })
            let results = try await TestDatabase.withConnection(endpoint) { c in
                try await c.query(
                    "SELECT count(*)::int, count(*) FILTER (WHERE result->>'attempt' = '2')::int FROM task_results WHERE tenant_id = \(t)",
                    logger: TestDatabase.logger
                ).decode((Int, Int).self).first { _ in true }
            }
            #expect(results?.0 == 20)
            #expect(results?.1 == 10, "every flaky task succeeded on its second attempt")

            // What operators see: every attempt by engine and outcome, and how long tasks waited.
            var metrics = ""
            _ = try await waitUntil {  // recorded just after the completing transaction commits
                metrics = try await api.call(.get, "/metrics").text
                return metrics.contains(#"{engine="noop",outcome="succeeded"} 10"#) && metrics.contains(#"{engine="flaky",outcome="succeeded"} 10"#)
            }
            #expect(metrics.contains(#"linkwright_tasks_finished_total{engine="noop",outcome="succeeded"} 10"#))
            #expect(metrics.contains(#"linkwright_tasks_finished_total{engine="flaky",outcome="succeeded"} 10"#))
            #expect(metrics.contains(#"linkwright_tasks_finished_total{engine="flaky",outcome="retried"} 10"#))
            #expect(metrics.contains(#"linkwright_task_wait_seconds_count{lane="normal"} 30"#), "20 first attempts and 10 retries were claimed")
        }
    }

    @Test func tasksOfEnginesNotBuiltYetWaitVisiblyAndNeverDie() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestApp.run(endpoint: endpoint, workers: workers()) { api, database in
            let owner = try await api.signup()
            let tenant = try #require(UUID(uuidString: owner.tenantID))
            _ = try await AccountRepository(database: database).setPlan(tenantID: tenant, plan: "agency")
            // A task of an engine no worker in this process runs (one rolled out to newer workers
            // first) and a probe that runs.
            try await TaskQueue(database: database).enqueue(
                tenantID: tenant,
                [
                    NewTask(lane: .normal, engine: "not-built-here", idempotencyKey: "unbuilt"),
                    NewTask(lane: .normal, engine: "noop", idempotencyKey: "probe"),
                ])
            #expect(try await waitUntil { try await states(endpoint, tenant)["succeeded"] == 1 })
            try await Task.sleep(for: .milliseconds(500))
            let counts = try await states(endpoint, tenant)
            #expect(counts == ["succeeded": 1, "available": 1], "the unbuilt engine's task waits, available, never running or dead: \(counts)")
        }
    }

    @Test func shutdownReleasesWhatCouldNotFinishWithoutCountingTheAttempt() async throws {
        let endpoint = try await TestDatabase.create()
        let tenantBox = NIOLockedValueBox<UUID?>(nil)
        try await TestApp.run(endpoint: endpoint, workers: workers(deadline: .milliseconds(300)), engines: EngineRegistry([StuckEngine()])) {
            _, database in
            let t = try await tenant(database)
            tenantBox.withLockedValue { $0 = t }
            try await TaskQueue(database: database).enqueue(tenantID: t, [NewTask(lane: .normal, engine: "stuck", idempotencyKey: "slow")])
            #expect(try await waitUntil { try await states(endpoint, t)["running"] == 1 })
        }
        let t = try #require(tenantBox.withLockedValue { $0 })
        let row = try await TestDatabase.withConnection(endpoint) { c in
            try await c.query("SELECT state, attempt, lease_owner FROM tasks WHERE tenant_id = \(t)", logger: TestDatabase.logger)
                .decode((String, Int, String?).self).first { _ in true }
        }
        #expect(row?.0 == "available")
        #expect(row?.1 == 0)
        #expect(row?.2 == nil)
    }
}

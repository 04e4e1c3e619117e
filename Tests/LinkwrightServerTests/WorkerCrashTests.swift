import AsyncHTTPClient
import Foundation
import LinkwrightCore
import LinkwrightStore
import LinkwrightTestSupport
import NIOCore
import NIOHTTP1
import PostgresNIO
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// Two real `linkwright serve --role worker` processes on one backlog; one is killed with
/// SIGKILL while it holds leases. Every task must still end `succeeded`, each exactly once, with
/// exactly one recorded result.
@Suite struct WorkerCrashTests {
    static let taskCount = 600

    func worker(_ endpoint: DatabaseEndpoint, dataDir: URL, log: URL, port: Int = RedisServer.freePort()) throws -> Process {
        try LinkwrightProcess.launch(
            ["serve", "--role", "worker", "--task-lease-seconds", "2", "--worker-concurrency", "0,8,0,0", "--port", String(port)],
            endpoint: endpoint, dataDir: dataDir, log: log)
    }

    func count(_ endpoint: DatabaseEndpoint, _ sql: String) async throws -> Int {
        try await TestDatabase.withConnection(endpoint) { c in
            try await c.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger).decode(Int.self).first { _ in true } ?? 0
        }
    }

    @Test func aWorkerKilledMidRunLosesNothingAndDoublesNothing() async throws {
        let endpoint = try await TestDatabase.create()
        let dir = try TestDatabase.temporaryDirectory("lw-crash")
        defer { try? FileManager.default.removeItem(at: dir) }

        let victim = try worker(endpoint, dataDir: dir.appendingPathComponent("a"), log: dir.appendingPathComponent("a.log"))
        let survivorPort = RedisServer.freePort()
        let survivor = try worker(endpoint, dataDir: dir.appendingPathComponent("b"), log: dir.appendingPathComponent("b.log"), port: survivorPort)
        defer {
            if victim.isRunning { kill(victim.processIdentifier, SIGKILL) }
            if survivor.isRunning { kill(survivor.processIdentifier, SIGKILL) }
        }
        // Both must be working before the backlog exists, or on a slow machine one process can
        // drain it before the other has started, and the kill would prove nothing.
        for name in ["a.log", "b.log"] { _ = await LinkwrightProcess.waitForLog(dir.appendingPathComponent(name), "working") }

        try await TestDatabase.withRunningDatabase(endpoint: endpoint) { database in
            let accounts = AccountRepository(database: database)
            let (tenant, _) = try await accounts.createTenant(name: "Crash", ownerEmail: EmailAddress("crash@test.example")!, passwordHash: "x")
            _ = try await accounts.setPlan(tenantID: tenant.id, plan: "agency")
            try await TaskQueue(database: database).enqueue(
                tenantID: tenant.id,
                (0..<Self.taskCount).map {
                    NewTask(lane: .normal, engine: "noop", payload: #"{"sleep_ms": 150}"#, idempotencyKey: "crash-\($0)")
                })
        }

        // Killed mid-run: once a tenth is done, at a moment the victim holds leases. It is
        // frozen first (SIGSTOP) and its leases counted while it cannot finish anything, so a
        // loaded machine cannot let it complete its tasks between the count and the kill.
        // Each task sleeps 150 ms so the run lasts seconds: on a loaded CI machine a poll can
        // take hundreds of milliseconds, and a shorter run was over before the first look.
        let victimHolds = "SELECT count(*)::int FROM tasks WHERE state = 'running' AND lease_owner LIKE '%:\(victim.processIdentifier):%'"
        var done = 0
        var held = 0
        for _ in 0..<1500 {
            try await Task.sleep(for: .milliseconds(20))
            done = try await count(endpoint, "SELECT count(*)::int FROM tasks WHERE state = 'succeeded'")
            if done == Self.taskCount { break }
            guard done >= Self.taskCount / 10 else { continue }
            kill(victim.processIdentifier, SIGSTOP)
            try await Task.sleep(for: .milliseconds(50))  // a statement already sent lands first
            held = try await count(endpoint, victimHolds)
            if held > 0 { break }
            kill(victim.processIdentifier, SIGCONT)
        }
        #expect(done >= Self.taskCount / 10, "workers made no progress; see \(dir.path)")
        kill(victim.processIdentifier, SIGKILL)
        for _ in 0..<50 where victim.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(held > 0, "the victim held no lease when killed, so this run proved nothing")

        for _ in 0..<600 where done < Self.taskCount {
            try await Task.sleep(for: .milliseconds(100))
            done = try await count(endpoint, "SELECT count(*)::int FROM tasks WHERE state = 'succeeded'")
        }
        #expect(done == Self.taskCount)
        #expect(try await count(endpoint, "SELECT count(*)::int FROM tasks WHERE state <> 'succeeded'") == 0)
        #expect(try await count(endpoint, "SELECT count(*)::int FROM task_results") == Self.taskCount)
        #expect(
            try await count(endpoint, "SELECT count(*)::int FROM tasks WHERE attempt = 2") >= held,
            "the tasks the victim held ran a second time")

        // A worker serves no API, but an operator scrapes what its engines did from it.
        let scrape = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(survivorPort)/metrics"), timeout: .seconds(30))
        let exposition = String(buffer: try await scrape.body.collect(upTo: 1 << 22))
        let finished = exposition.split(separator: "\n").first {
            $0.hasPrefix(#"linkwright_tasks_finished_total{engine="noop",outcome="succeeded"}"#)
        }
        #expect((finished?.split(separator: " ").last.flatMap { Double($0) } ?? 0) > 0, "the survivor's /metrics has no finished tasks")
        let api = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(survivorPort)/api/v1/openapi.json"), timeout: .seconds(30))
        #expect(api.status == .notFound, "a worker serves no API")

        kill(survivor.processIdentifier, SIGTERM)
        for _ in 0..<100 where survivor.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!survivor.isRunning)
        #expect(survivor.terminationStatus == 0, "the survivor did not stop cleanly on SIGTERM")
    }
}

import Foundation
import LinkwrightCore
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing

@Suite struct TaskQueueTests {
    let lease: Duration = .seconds(30)

    func tenant(_ database: Database, plan: String = "agency") async throws -> UUID {
        let accounts = AccountRepository(database: database)
        let (tenant, _) = try await accounts.createTenant(
            name: "T", ownerEmail: EmailAddress("\(UUID().uuidString.prefix(8))@q.test")!, passwordHash: "x")
        _ = try await accounts.setPlan(tenantID: tenant.id, plan: plan)
        return tenant.id
    }

    func tasks(_ n: Int, prefix: String = "t", lane: Lane = .normal, engine: String = "noop", maxAttempts: Int = 3) -> [NewTask] {
        (0..<n).map { NewTask(lane: lane, engine: engine, idempotencyKey: "\(prefix)-\($0)", maxAttempts: maxAttempts) }
    }

    /// Moves every waiting task of the tenant to "due now", as time passing would.
    func makeDue(_ database: Database, _ tenantID: UUID) async throws {
        try await database.withSystem { connection in
            try await connection.query(
                "UPDATE tasks SET run_at = now() - interval '1 second' WHERE tenant_id = \(tenantID) AND state IN ('scheduled', 'failed_retryable')",
                logger: TestDatabase.logger)
            // Moving run_at behind the queue's back: bring the due hint along, as the queue's own paths do.
            try await connection.query("UPDATE queue_turns SET next_run_at = '-infinity' WHERE tenant_id = \(tenantID)", logger: TestDatabase.logger)
        }
    }

    func states(_ database: Database, _ tenantID: UUID) async throws -> [String: Int] {
        try await database.withSystem { connection in
            try await connection.query(
                "SELECT state, count(*)::int FROM tasks WHERE tenant_id = \(tenantID) GROUP BY state", logger: TestDatabase.logger
            )
            .decode((String, Int).self).reduce(into: [String: Int]()) { $0[$1.0] = $1.1 }
        }
    }

    @Test func enqueueingTheSameKeysTwiceAddsNothing() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)
            #expect(try await queue.enqueue(tenantID: t, tasks(5)) == 5)
            #expect(try await queue.enqueue(tenantID: t, tasks(7)) == 2)
            #expect(try await states(database, t) == ["available": 7])
        }
    }

    @Test func onlyDueTasksOfAvailableEnginesAreHandedOut() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)
            try await queue.enqueue(
                tenantID: t,
                [
                    NewTask(lane: .normal, engine: "noop", idempotencyKey: "due"),
                    NewTask(lane: .normal, engine: "noop", idempotencyKey: "later", runAt: Date().addingTimeInterval(3600)),
                    NewTask(lane: .normal, engine: "comments", idempotencyKey: "no engine yet"),
                ])
            let claimed = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w1", batch: 10, perTenant: 10, lease: lease)
            #expect(claimed.map(\.idempotencyKey) == ["due"])
            #expect(claimed.first?.attempt == 1)
            #expect(try await states(database, t) == ["running": 1, "scheduled": 1, "available": 1])
        }
    }

    @Test func aTenantNeverRunsMoreThanItsPlanAllows() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database, plan: "free")  // 2 at once
            try await queue.enqueue(tenantID: t, tasks(10))
            let first = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w1", batch: 10, perTenant: 10, lease: lease)
            #expect(first.count == 2)
            #expect(try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w2", batch: 10, perTenant: 10, lease: lease).isEmpty)
            #expect(try await queue.complete(first[0], owner: "w1", result: "{}"))
            #expect(try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w2", batch: 10, perTenant: 10, lease: lease).count == 1)
        }
    }

    @Test func oneClaimIsDealtAcrossTheDueTenantsAndNoTenantLosesItsPlace() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let big = try await tenant(database)
            let small = try await tenant(database)
            try await queue.enqueue(tenantID: big, tasks(100, prefix: "big"))
            try await queue.enqueue(tenantID: small, tasks(8, prefix: "small"))
            var smallClaimed: [Int] = []
            for _ in 0..<3 {
                let claimed = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 10, perTenant: 10, lease: lease)
                #expect(claimed.count == 10)
                smallClaimed.append(claimed.filter { $0.tenantID == small }.count)
                _ = try await queue.completeAll(claimed.map { ($0, "{}") }, owner: "w")
            }
            // Half of each batch while both wait, then the rest; never a batch the big one takes whole.
            #expect(smallClaimed == [5, 3, 0])
        }
    }

    @Test func workEnqueuedWhileClaimsRunIsAlwaysFound() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)  // 50 at once: more than this test enqueues
            var claimed = 0
            for round in 0..<40 {
                // Each claim races an enqueue; whichever wins, the task must stay findable.
                async let enqueued = queue.enqueue(tenantID: t, [NewTask(lane: .normal, engine: "noop", idempotencyKey: "r\(round)")])
                async let got = queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 10, perTenant: 10, lease: lease)
                claimed += try await got.count
                _ = try await enqueued
            }
            while true {
                let more = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 10, perTenant: 10, lease: lease)
                if more.isEmpty { break }
                claimed += more.count
            }
            #expect(claimed == 40)
        }
    }

    @Test func thePlanCapHoldsAcrossLanesWhenManyWorkersClaimAtOnce() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database, plan: "free")  // 2 at once
            for lane in [Lane.high, .normal, .bulk] {
                try await queue.enqueue(tenantID: t, tasks(12, prefix: lane.rawValue, lane: lane))
            }
            var finished = 0
            for _ in 0..<8 {
                // Nine workers, three per lane, claim at the same moment.
                let claimed = try await withThrowingTaskGroup(of: [ClaimedTask].self) { group in
                    for worker in 0..<9 {
                        let lane = [Lane.high, .normal, .bulk][worker % 3]
                        group.addTask {
                            try await queue.dequeue(lane: lane, engines: ["noop"], owner: "w", batch: 10, perTenant: 10, lease: lease)
                        }
                    }
                    return try await group.reduce(into: [ClaimedTask]()) { $0 += $1 }
                }
                let running = try await states(database, t)["running"] ?? 0
                #expect(claimed.count <= 2 && running <= 2, "claimed \(claimed.count), running \(running)")
                for task in claimed { #expect(try await queue.complete(task, owner: "w", result: "{}")) }
                finished += claimed.count
            }
            #expect(finished > 0, "some round must have claimed work, or the cap was never tested")
        }
    }

    @Test func failuresRetryWithBackoffThenDieAndCanBeRetriedFromDead() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database, retry: RetryPolicy(baseSeconds: 60))
            let t = try await tenant(database)
            try await queue.enqueue(tenantID: t, tasks(1, maxAttempts: 3))
            for attempt in 1...3 {
                let claimed = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 1, perTenant: 1, lease: lease)
                #expect(claimed.first?.attempt == attempt)
                let failure = try await queue.fail(try #require(claimed.first), owner: "w", error: "boom \(attempt)")
                #expect(failure?.state == (attempt < 3 ? .failedRetryable : .dead))
                if attempt < 3 { #expect(failure.map { $0.retryIn >= .seconds(30) } == true, "60 s base, jitter at least 0.5") }
                if attempt < 3 {
                    // Backed off: not due again straight away.
                    #expect(try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 1, perTenant: 1, lease: lease).isEmpty)
                    try await makeDue(database, t)
                }
            }
            #expect(try await states(database, t) == ["dead": 1])
            let id = try await database.withSystem { c in
                try await c.query("SELECT id FROM tasks WHERE tenant_id = \(t)", logger: TestDatabase.logger).decode(Int64.self).first { _ in true }!
            }
            #expect(try await queue.retryDead(tenantID: t, id: id))
            #expect(try await queue.retryDead(tenantID: t, id: id) == false)
            #expect(try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 1, perTenant: 1, lease: lease).first?.attempt == 1)
        }
    }

    @Test func aTaskWaitingForSomethingOutsideNeverDiesAndOneThatCannotSucceedDiesAtOnce() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database, retry: RetryPolicy(baseSeconds: 60))
            let t = try await tenant(database)
            try await queue.enqueue(tenantID: t, tasks(1, maxAttempts: 2))
            // Waiting (an account to reconnect) more times than it has attempts: never dead, its
            // attempt not counted, and not due before the wait ends.
            for _ in 1...3 {
                let claimed = try #require(
                    try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 1, perTenant: 1, lease: lease).first)
                #expect(claimed.attempt == 1)
                let waited = try await queue.fail(claimed, owner: "w", error: "reconnect the account", disposition: .wait(.seconds(600)))
                #expect(waited?.state == .failedRetryable)
                #expect(waited?.retryIn == .seconds(600))
                #expect(try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 1, perTenant: 1, lease: lease).isEmpty)
                try await makeDue(database, t)
            }
            #expect(try await states(database, t) == ["failed_retryable": 1])
            // Giving up (the site is gone): dead at once, on its first attempt.
            let claimed = try #require(
                try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 1, perTenant: 1, lease: lease).first)
            #expect(claimed.attempt == 1)
            #expect(try await queue.fail(claimed, owner: "w", error: "the site is gone", disposition: .giveUp)?.state == .dead)
            #expect(try await states(database, t) == ["dead": 1])
        }
    }

    @Test func anExpiredLeaseIsReapedAndTheOldHolderCannotCompleteIt() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)
            try await queue.enqueue(tenantID: t, tasks(1))
            let stale = try #require(
                try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "dying", batch: 1, perTenant: 1, lease: .milliseconds(200)).first)
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await queue.reapExpiredLeases() == 1)
            #expect(try await queue.heartbeat(owner: "dying", lease: lease) == 0)
            let fresh = try #require(
                try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "alive", batch: 1, perTenant: 1, lease: lease).first)
            #expect(fresh.attempt == 2)
            #expect(try await queue.complete(stale, owner: "dying", result: #"{"by":"dying"}"#) == false)
            #expect(try await queue.complete(fresh, owner: "alive", result: #"{"by":"alive"}"#))
            let results = try await database.withSystem { c in
                try await c.query("SELECT result->>'by' FROM task_results WHERE tenant_id = \(t)", logger: TestDatabase.logger)
                    .decode(String.self).reduce(into: [String]()) { $0.append($1) }
            }
            #expect(results == ["alive"])
        }
    }

    @Test func heartbeatsKeepALeaseAndReleaseHandsTasksBackUncounted() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)
            try await queue.enqueue(tenantID: t, tasks(3))
            _ = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 3, perTenant: 3, lease: .milliseconds(1500))
            // The heartbeat comes well inside the first lease even on a loaded machine, and the
            // wait after it outlasts that first lease: only the heartbeat keeps the tasks.
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await queue.heartbeat(owner: "w", lease: lease) == 3)
            try await Task.sleep(for: .milliseconds(1600))
            #expect(try await queue.reapExpiredLeases() == 0)
            #expect(try await queue.release(owner: "w") == 3)
            let again = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w2", batch: 3, perTenant: 3, lease: lease)
            #expect(again.map(\.attempt) == [1, 1, 1])
        }
    }

    @Test func pausedLanesAndPausedCampaignsHandOutNothing() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let admin = QueueAdministration(database: database)
            let t = try await tenant(database)
            try await queue.enqueue(tenantID: t, tasks(2, lane: .bulk))
            try await admin.setPaused(true, lane: .bulk, by: UUID())
            #expect(try await queue.dequeue(lane: .bulk, engines: ["noop"], owner: "w", batch: 5, perTenant: 5, lease: lease).isEmpty)
            try await admin.setPaused(false, lane: .bulk, by: UUID())
            #expect(try await queue.dequeue(lane: .bulk, engines: ["noop"], owner: "w", batch: 5, perTenant: 5, lease: lease).count == 2)

            let campaigns = CampaignRepository(database: database)
            let settings = try CampaignSettings.creating(
                from: .init(
                    name: "c", targetURL: "https://t.example/", anchorTexts: ["a"], engines: ["web2"], dailyLimit: 24))
            let campaign = try await campaigns.create(tenantID: t, settings: settings, createdBy: UUID())
            _ = try await campaigns.perform(.start, tenantID: t, id: campaign.id)
            _ = try await campaigns.perform(.pause, tenantID: t, id: campaign.id)
            #expect(try await queue.dequeue(lane: .normal, engines: ["content"], owner: "w", batch: 5, perTenant: 5, lease: lease).isEmpty)
            _ = try await campaigns.perform(.resume, tenantID: t, id: campaign.id)
            #expect(try await queue.dequeue(lane: .normal, engines: ["content"], owner: "w", batch: 5, perTenant: 5, lease: lease).count == 1)
        }
    }

    @Test func concurrentWorkersHandEachTaskOutOnceAndRecordEachEffectOnce() async throws {
        try await TestDatabase.withRunningDatabase(maximumConnections: 12) { database in
            let queue = TaskQueue(database: database)
            let t = try await tenant(database)
            try await queue.enqueue(tenantID: t, tasks(400))
            let completed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var done: [Int64] = []
                        var idle = 0
                        while idle < 3 {
                            let claimed = try await queue.dequeue(
                                lane: .normal, engines: ["noop"], owner: "w\(worker)", batch: 10, perTenant: 10, lease: lease)
                            if claimed.isEmpty {
                                idle += 1
                                try await Task.sleep(for: .milliseconds(20))
                                continue
                            }
                            idle = 0
                            for task in claimed where try await queue.complete(task, owner: "w\(worker)", result: "{}") { done.append(task.id) }
                        }
                        return done
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(completed.count == 400)
            #expect(Set(completed).count == 400)
            #expect(try await states(database, t) == ["succeeded": 400])
            let results = try await database.withSystem { c in
                try await c.query("SELECT count(*)::int FROM task_results WHERE tenant_id = \(t)", logger: TestDatabase.logger).decode(Int.self).first
                { _ in true }
            }
            #expect(results == 400)
        }
    }

    @Test func aSmallTenantIsServedWhileABigOneHasABacklog() async throws {
        try await TestDatabase.withRunningDatabase { database in
            let queue = TaskQueue(database: database)
            let big = try await tenant(database)
            let small = try await tenant(database)
            for chunk in 0..<10 { try await queue.enqueue(tenantID: big, tasks(1000, prefix: "a\(chunk)")) }
            try await queue.enqueue(tenantID: small, tasks(10, prefix: "b"))
            var bigStarted = 0
            var smallStarted = 0
            while smallStarted < 10 {
                let claimed = try await queue.dequeue(lane: .normal, engines: ["noop"], owner: "w", batch: 10, perTenant: 5, lease: lease)
                #expect(!claimed.isEmpty)
                for task in claimed {
                    if task.tenantID == small { smallStarted += 1 } else { bigStarted += 1 }
                    _ = try await queue.complete(task, owner: "w", result: "{}")
                }
            }
            #expect(bigStarted < 200, "the big tenant had \(bigStarted) started before the small one's 10")
        }
    }
}

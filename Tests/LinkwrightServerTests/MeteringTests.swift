import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightEngines
import LinkwrightServer
import LinkwrightStore
import LinkwrightTestSupport
import PostgresNIO
import Testing
@testable import LinkwrightWorkers

/// A paid placement engine for tests: costs one placement and 1,000 LLM tokens a task, fails
/// its first attempt when asked, takes a moment so workers overlap.
struct PaidEngine: Engine {
    let name: String
    var failFirstAttempt = false
    var estimatedUsage: [Usage] { [Usage(.placement, 1), Usage(.llmTokens, 1000)] }

    func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        if failFirstAttempt, task.attempt == 1 { return .failed(reason: "first attempts fail") }
        try await Task.sleep(for: .milliseconds(60))
        return .done(result: "{}", usage: estimatedUsage)
    }
}

@Suite struct MeteringTests {
    /// 250,000 for the placement and 2 × 1,000 for the tokens (the seeded unit costs).
    static let taskCost: Int64 = 252_000

    func value<T: PostgresDecodable>(_ endpoint: DatabaseEndpoint, _ sql: String, as: T.Type = Int64.self) async throws -> T? {
        try await TestDatabase.withConnection(endpoint) { c in
            try await c.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger).decode(T.self).first { _ in true }
        }
    }

    @Test func aTasksCostIsRecordedOnceWhateverHappensToTheTask() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestDatabase.withRunningDatabase(endpoint: endpoint) { database in
            let (tenant, _) = try await AccountRepository(database: database).createTenant(
                name: "Ledger", ownerEmail: EmailAddress("ledger@test.example")!, passwordHash: "x")
            let queue = TaskQueue(database: database)
            try await queue.enqueue(tenantID: tenant.id, [NewTask(lane: .normal, engine: "paid", idempotencyKey: "once")])
            let usage = [Usage(.placement, 1), Usage(.llmTokens, 1000)]

            // Worker A takes it, stalls past its lease, and the reaper hands the task to B.
            let first = try #require(
                try await queue.claim(lane: .normal, engines: ["paid"], owner: "A", batch: 1, perTenant: 1, lease: .milliseconds(10)).tasks.first)
            try await Task.sleep(for: .milliseconds(50))
            #expect(try await queue.reapExpiredLeases() == 1)
            let again = try #require(
                try await queue.claim(lane: .normal, engines: ["paid"], owner: "B", batch: 1, perTenant: 1, lease: .seconds(60)).tasks.first)

            // A finishes late: its lease is gone, so nothing is charged.
            #expect(try await queue.completeAll([(first, "{}")], usage: [first.id: usage], owner: "A").isEmpty)
            #expect(try await queue.completeAll([(again, "{}")], usage: [again.id: usage], owner: "B") == [again.id])
            // Delivered twice: the second completion finds nothing to complete or charge.
            #expect(try await queue.completeAll([(again, "{}")], usage: [again.id: usage], owner: "B").isEmpty)

            #expect(try await value(endpoint, "SELECT count(*) FROM cost_ledger") == 2, "one row per kind")
            #expect(try await value(endpoint, "SELECT sum(amount_micros)::bigint FROM cost_ledger") == Self.taskCost)
            #expect(try await value(endpoint, "SELECT quantity FROM cost_ledger WHERE kind = 'llm_tokens'") == 1000)
            #expect(try await value(endpoint, "SELECT unit FROM cost_ledger WHERE kind = 'placement'", as: String.self) == "placement")
        }
    }

    @Test func modelTokensArePricedAtEachProvidersOwnRatesInOneLedgerRow() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestDatabase.withRunningDatabase(endpoint: endpoint) { database in
            let (tenant, _) = try await AccountRepository(database: database).createTenant(
                name: "Tokens", ownerEmail: EmailAddress("tokens@test.example")!, passwordHash: "x")
            let queue = TaskQueue(database: database)
            try await queue.enqueue(tenantID: tenant.id, [NewTask(lane: .normal, engine: "paid", idempotencyKey: "fell-back")])
            let task = try #require(
                try await queue.claim(lane: .normal, engines: ["paid"], owner: "A", batch: 1, perTenant: 1, lease: .seconds(60)).tasks.first)
            // One task's generations from two providers (one fell back) and one with no price row.
            let usage = [
                Usage(ModelTokens(provider: "openai", input: 1000, output: 500)),
                Usage(ModelTokens(provider: "anthropic", input: 1000, output: 501)),
                Usage(ModelTokens(provider: "local-llama", input: 10, output: 5)),
            ]
            #expect(try await queue.completeAll([(task, "{}")], usage: [task.id: usage], owner: "A") == [task.id])
            #expect(try await queue.completeAll([(task, "{}")], usage: [task.id: usage], owner: "A").isEmpty)

            #expect(try await value(endpoint, "SELECT count(*) FROM cost_ledger") == 1, "one row for the task's tokens")
            #expect(try await value(endpoint, "SELECT quantity FROM cost_ledger") == 3016)
            // openai: 1,000 × 0.15 + 500 × 0.60 = 450; anthropic: 1,000 × 0.80 + 501 × 4.00 =
            // 2,804; the unpriced provider at unit_costs' 2 a token: 30.
            #expect(try await value(endpoint, "SELECT amount_micros FROM cost_ledger") == 450 + 2804 + 30)
            #expect(try await value(endpoint, "SELECT providers FROM cost_ledger", as: String.self) == "anthropic,local-llama,openai")
            // A fraction of a micro-dollar is rounded up, never lost: one gemini token in is 0.1.
            try await queue.enqueue(tenantID: tenant.id, [NewTask(lane: .normal, engine: "paid", idempotencyKey: "tiny")])
            let tiny = try #require(
                try await queue.claim(lane: .normal, engines: ["paid"], owner: "A", batch: 1, perTenant: 1, lease: .seconds(60)).tasks.first)
            _ = try await queue.completeAll(
                [(tiny, "{}")], usage: [tiny.id: [Usage(ModelTokens(provider: "gemini", input: 1, output: 0))]], owner: "A")
            #expect(try await value(endpoint, "SELECT amount_micros FROM cost_ledger WHERE providers = 'gemini'") == 1)
        }
    }

    @Test func theLedgerCannotBeChangedByTheApplication() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestDatabase.withRunningDatabase(endpoint: endpoint) { database in
            let (tenant, _) = try await AccountRepository(database: database).createTenant(
                name: "Append", ownerEmail: EmailAddress("append@test.example")!, passwordHash: "x")
            let queue = TaskQueue(database: database)
            try await queue.enqueue(tenantID: tenant.id, [NewTask(lane: .normal, engine: "paid", idempotencyKey: "fixed")])
            let task = try #require(
                try await queue.claim(lane: .normal, engines: ["paid"], owner: "A", batch: 1, perTenant: 1, lease: .seconds(60)).tasks.first)
            _ = try await queue.completeAll([(task, "{}")], usage: [task.id: [Usage(.fetch, 3)]], owner: "A")
            for statement in ["UPDATE cost_ledger SET amount_micros = 0", "DELETE FROM cost_ledger"] {
                await #expect(throws: (any Error).self, "\(statement) must be refused") {
                    try await database.withTenant(tenant.id) { try await $0.query(PostgresQuery(unsafeSQL: statement), logger: TestDatabase.logger) }
                }
            }
            #expect(try await value(endpoint, "SELECT sum(amount_micros)::bigint FROM cost_ledger") == 150)
        }
    }

    @Test func concurrentWorkersNeverOverspendABudgetAndARaiseResumes() async throws {
        let endpoint = try await TestDatabase.create()
        var workers = WorkerRuntimeTests().workers()
        workers.concurrency = [.high: 8]
        try await TestApp.run(endpoint: endpoint, workers: workers, engines: EngineRegistry([PaidEngine(name: "paid")])) { api, database in
            let owner = try await api.signup()
            let tenant = UUID(uuidString: owner.tenantID)!
            _ = try await AccountRepository(database: database).setPlan(tenantID: tenant, plan: "agency")
            // Enough for five tasks, and not a sixth.
            var body = CampaignTests.valid
            body["engines"] = ["web2"]
            body["daily_limit"] = 1
            body["budget_micros"] = Self.taskCost * 5 + 100_000
            let id = try #require(try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken).string("id"))
            #expect(try await api.call(.post, "/api/v1/campaigns/\(id)/start", token: owner.accessToken).status == .ok)
            // Twenty tasks due at once, eight workers: they race for the budget.
            try await TaskQueue(database: database).enqueue(
                tenantID: tenant,
                (0..<20).map {
                    NewTask(lane: .high, engine: "paid", idempotencyKey: "budget-\($0)", campaignID: UUID(uuidString: id)!)
                })
            func campaign() async throws -> Reply { try await api.call(.get, "/api/v1/campaigns/\(id)", token: owner.accessToken) }
            func settled(_ reply: Reply) -> Bool {
                reply.string("status") == "paused" && (reply["reserved_micros"] as? Int) == 0
            }
            #expect(try await WorkerRuntimeTests().waitUntil { settled(try await campaign()) })
            let paused = try await campaign()
            #expect(paused.string("status_reason") == "budget_exhausted")
            let spent = Int64(paused["spent_micros"] as? Int ?? -1)
            #expect(spent == Self.taskCost * 5, "exactly what five tasks cost: \(spent)")
            #expect(try await value(endpoint, "SELECT sum(amount_micros)::bigint FROM cost_ledger WHERE campaign_id = '\(id)'") == spent)

            // More budget: it resumes by itself and stops again at the new limit.
            let raised = try await api.call(.patch, "/api/v1/campaigns/\(id)", json: ["budget_micros": Self.taskCost * 8], token: owner.accessToken)
            #expect(raised.string("status") == "active")
            #expect(
                try await WorkerRuntimeTests().waitUntil {
                    let reply = try await campaign()
                    return settled(reply) && reply["spent_micros"] as? Int == Int(Self.taskCost * 8)
                })
            #expect(
                try await value(endpoint, "SELECT count(*) FROM tasks WHERE campaign_id = '\(id)' AND engine = 'paid' AND state = 'succeeded'") == 8)
        }
    }
}

@Suite struct CostEstimateEndpointTests {
    @Test func aDraftIsEstimatedFromItsPlanAtListPricesAndOnlyForItsTenant() async throws {
        try await TestApp.run { api, _ in
            let owner = try await api.signup()
            let stranger = try await api.signup(tenant: "Other")
            var body = CampaignTests.valid
            body["engines"] = ["web2"]
            body["daily_limit"] = 2
            body["budget_micros"] = 1_000_000
            let id = try #require(try await api.call(.post, "/api/v1/campaigns", json: body, token: owner.accessToken).string("id"))
            let estimate = try await api.call(.get, "/api/v1/campaigns/\(id)/estimate", token: owner.accessToken)
            #expect(estimate.status == .ok)
            #expect(estimate.string("basis") == "list_prices")
            let tasks = try #require(estimate["tasks"] as? Int)
            #expect(tasks >= 2 * CampaignPlan.defaultHorizonDays - 2, "two a day over the horizon: \(tasks)")
            #expect(estimate["expected_micros"] as? Int == tasks * 255_000, "a placement and 2,500 tokens each")
            #expect(estimate["fits_budget"] as? Bool == false)
            #expect(try await api.call(.get, "/api/v1/campaigns/\(id)/estimate", token: stranger.accessToken).status == .notFound)
        }
    }

    @Test func enoughHistoryTurnsTheEstimateToTheTenantsOwnCosts() async throws {
        let endpoint = try await TestDatabase.create()
        try await TestApp.run(endpoint: endpoint) { api, _ in
            let owner = try await api.signup()
            let id = try #require(try await api.call(.post, "/api/v1/campaigns", json: CampaignTests.valid, token: owner.accessToken).string("id"))
            // Thirty past tasks of this tenant that cost 300,000 each.
            try await TestDatabase.withConnection(endpoint) { c in
                try await c.query(
                    PostgresQuery(
                        unsafeSQL: """
                            INSERT INTO cost_ledger (tenant_id, campaign_id, task_id, kind, quantity, unit, amount_micros, idempotency_key)
                            SELECT '\(owner.tenantID)', '\(id)', n, 'placement', 1, 'placement', 300000, 'past-' || n FROM generate_series(1, 30) n
                            """), logger: TestDatabase.logger)
            }
            let estimate = try await api.call(.get, "/api/v1/campaigns/\(id)/estimate", token: owner.accessToken)
            #expect(estimate.string("basis") == "history" && estimate["history_tasks"] as? Int == 30)
            let tasks = try #require(estimate["tasks"] as? Int)
            #expect(estimate["low_micros"] as? Int == tasks * 300_000 && estimate["high_micros"] as? Int == tasks * 300_000)
        }
    }
}

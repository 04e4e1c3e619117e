import Foundation
import LinkwrightCoordination
import LinkwrightCore
import LinkwrightEngines
import LinkwrightServer
import LinkwrightStore
import LinkwrightTestSupport
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Testing
@testable import LinkwrightWorkers

/// Counts how many of its tasks run at once, across every worker that shares it.
final class MeteredEngine: Engine, Sendable {
    let name = "metered"
    private let counts = NIOLockedValueBox((now: 0, most: 0))

    func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        counts.withLockedValue {
            $0.now += 1
            $0.most = max($0.most, $0.now)
        }
        try? await Task.sleep(for: .milliseconds(150))
        counts.withLockedValue { $0.now -= 1 }
        return .done(result: "{}")
    }

    var most: Int { counts.withLockedValue { $0.most } }
}

@Suite struct EngineCapTests {
    @Test func anEngineCapHoldsAcrossTwoWorkerProcessesSharingRedis() async throws {
        guard let url = try await TestRedis.url(database: 4) else { return }
        let logger = Logger(label: "test")
        let endpoint = try await TestDatabase.create()
        let engine = MeteredEngine()
        // Each "process" has its own Redis connections and 6 slots: 12 could run, the cap allows 3.
        var configuration = WorkerRuntimeTests().workers()
        configuration.concurrency = [.normal: 6]
        configuration.caps = ["metered": 3]
        let workers = configuration
        var other = configuration
        other.owner = "second-process"
        let otherWorkers = other
        func coordination() throws -> Coordination {
            Coordination(redis: RedisClient(endpoint: try RedisEndpoint(url: url), timeout: .seconds(2), logger: logger), logger: logger)
        }
        let first = try coordination()
        let second = try coordination()
        try await TestApp.run(endpoint: endpoint, workers: workers, engines: EngineRegistry([engine]), coordination: first) { api, database in
            try await TestApp.run(endpoint: endpoint, workers: otherWorkers, engines: EngineRegistry([engine]), coordination: second) { _, _ in
                let owner = try await api.signup()
                let tenant = UUID(uuidString: owner.tenantID)!
                _ = try await AccountRepository(database: database).setPlan(tenantID: tenant, plan: "agency")
                try await TaskQueue(database: database).enqueue(
                    tenantID: tenant,
                    (0..<18).map {
                        NewTask(lane: .normal, engine: "metered", idempotencyKey: "capped-\($0)")
                    })
                let done = try await WorkerRuntimeTests().waitUntil {
                    try await WorkerRuntimeTests().states(endpoint, tenant)["succeeded"] == 18
                }
                #expect(done)
            }
        }
        #expect(engine.most == 3, "at most the cap at once across both processes, and the cap reached: \(engine.most)")
    }
}

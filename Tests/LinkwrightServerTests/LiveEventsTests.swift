import Foundation
import HTTPTypes
import LinkwrightCore
import LinkwrightEngines
import LinkwrightServer
import LinkwrightStore
import Testing
@testable import LinkwrightWorkers

/// `GET /api/v1/events/live` in one process, without Redis: the workers here publish, the
/// streams here receive.
@Suite struct LiveEventsTests {
    @Test func aTasksProgressReachesItsTenantsStreamAndNoOtherTenants() async throws {
        try await TestApp.run(workers: WorkerRuntimeTests().workers(), engines: EngineRegistry([NoopEngine(), FlakyEngine()])) { api, database in
            let port = try #require(api.port)
            let alpha = try await api.signup(tenant: "Alpha")
            let beta = try await api.signup(tenant: "Beta")
            let alphaStream = try await EventStream(port: port, path: "/api/v1/events/live", token: alpha.accessToken)
            let betaStream = try await EventStream(port: port, path: "/api/v1/events/live", token: beta.accessToken)
            defer {
                alphaStream.close()
                betaStream.close()
            }
            #expect(alphaStream.status == 200)
            #expect(await alphaStream.waitFor(": connected"))
            #expect(await betaStream.waitFor(": connected"))

            try await TaskQueue(database: database).enqueue(
                tenantID: UUID(uuidString: alpha.tenantID)!,
                [
                    NewTask(lane: .normal, engine: "noop", idempotencyKey: "live-noop"),
                    NewTask(lane: .normal, engine: "flaky", idempotencyKey: "live-flaky"),
                ])
            #expect(await alphaStream.waitFor("event: task.retrying\ndata: {"), "the flaky task's first failure is streamed")
            #expect(await alphaStream.waitFor(#""engine":"noop""#))
            let bothSucceeded = await alphaStream.waitFor(#""engine":"flaky","lane":"normal","task_id""#)
            #expect(
                bothSucceeded && alphaStream.received.components(separatedBy: "event: task.succeeded").count == 3,
                "both tasks' successes: \(alphaStream.received)")
            try await Task.sleep(for: .milliseconds(300))
            #expect(!betaStream.received.contains("event: task"), "another tenant's stream hears nothing of it")
        }
    }

    @Test func aStreamNeedsATenantCaller() async throws {
        try await TestApp.run { api, database in
            let port = try #require(api.port)
            let anonymous = try await EventStream(port: port, path: "/api/v1/events/live", token: nil)
            #expect(anonymous.status == 401)
            let ops = try await AdminQueueTests().operatorToken(api, database)
            #expect(try await api.call(.get, "/api/v1/events/live", token: ops).status == .forbidden)
        }
    }
}
